import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRetention } from '../../src/job/retention.js';
import { tempDir, runCli, DOMAIN_ID } from '../helpers.js';

const NOW = new Date('2026-11-27T10:00:00Z');

function batch(dir: string, job: string, stamp: string, expMax: string | null, withTokens = true): void {
  writeFileSync(join(dir, `${job}-${stamp}.manifest.json`), JSON.stringify({ exp_max: expMax }));
  writeFileSync(join(dir, `${job}-${stamp}.rejects.csv`), 'line,reason\n');
  if (withTokens) writeFileSync(join(dir, `${job}-${stamp}.csv`), 'token\n');
}

describe('retention', () => {
  it('keeps the newest `keep` batches, deletes older ones and every expired one, and touches nothing else', async () => {
    const dir = tempDir();
    const future = '2026-12-04T10:00:00Z';
    batch(dir, 'weekly', '20261101T070000Z', future);
    batch(dir, 'weekly', '20261108T070000Z', future);
    batch(dir, 'weekly', '20261115T070000Z', '2026-11-20T00:00:00Z'); // all tokens expired
    batch(dir, 'weekly', '20261122T070000Z', future, false); // a failed run: rejects and manifest only
    batch(dir, 'weekly', '20261127T070000Z', future);
    batch(dir, 'weekly-extra', '20261101T070000Z', future); // another job
    writeFileSync(join(dir, 'weekly-notes.txt'), 'mine');
    writeFileSync(join(dir, 'weekly-20261101T070000Z.csv.bak'), 'a copy');

    const removed = await applyRetention(dir, 'weekly', 2, NOW);
    expect(removed.sort()).toEqual(
      [
        'weekly-20261101T070000Z.csv',
        'weekly-20261101T070000Z.manifest.json',
        'weekly-20261101T070000Z.rejects.csv',
        'weekly-20261108T070000Z.csv',
        'weekly-20261108T070000Z.manifest.json',
        'weekly-20261108T070000Z.rejects.csv',
        'weekly-20261115T070000Z.csv',
        'weekly-20261115T070000Z.manifest.json',
        'weekly-20261115T070000Z.rejects.csv',
      ].sort(),
    );
    expect(readdirSync(dir).sort()).toEqual(
      [
        'weekly-20261101T070000Z.csv.bak',
        'weekly-20261122T070000Z.manifest.json',
        'weekly-20261122T070000Z.rejects.csv',
        'weekly-20261127T070000Z.csv',
        'weekly-20261127T070000Z.manifest.json',
        'weekly-20261127T070000Z.rejects.csv',
        'weekly-extra-20261101T070000Z.csv',
        'weekly-extra-20261101T070000Z.manifest.json',
        'weekly-extra-20261101T070000Z.rejects.csv',
        'weekly-notes.txt',
      ].sort(),
    );
  });

  it("deletes a batch's delivery record with it, and keeps a kept batch's", async () => {
    const dir = tempDir();
    const future = '2026-12-04T10:00:00Z';
    batch(dir, 'weekly', '20261101T070000Z', future);
    batch(dir, 'weekly', '20261108T070000Z', future);
    writeFileSync(join(dir, 'weekly-20261101T070000Z.delivery.json'), '{}');
    writeFileSync(join(dir, 'weekly-20261108T070000Z.delivery.json'), '{}');
    const removed = await applyRetention(dir, 'weekly', 1, NOW);
    expect(removed).toContain('weekly-20261101T070000Z.delivery.json');
    expect(readdirSync(dir).sort()).toEqual([
      'weekly-20261108T070000Z.csv',
      'weekly-20261108T070000Z.delivery.json',
      'weekly-20261108T070000Z.manifest.json',
      'weekly-20261108T070000Z.rejects.csv',
    ]);
  });

  it('deletes an expired batch even when it is among the newest', async () => {
    const dir = tempDir();
    batch(dir, 'weekly', '20261127T070000Z', '2026-11-27T09:00:00Z');
    expect(await applyRetention(dir, 'weekly', 10, NOW)).toHaveLength(3);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('goes by the job name exactly: another job ending the same way (biweekly for weekly) neither counts nor is touched', async () => {
    const dir = tempDir();
    const future = '2026-12-04T10:00:00Z';
    batch(dir, 'weekly', '20261120T070000Z', future);
    batch(dir, 'weekly', '20261127T070000Z', future);
    batch(dir, 'biweekly', '20261127T080000Z', future); // newer than every weekly batch
    batch(dir, 'biweekly', '20261127T090000Z', future);
    expect(await applyRetention(dir, 'weekly', 2, NOW)).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(12);
  });

  it('counts _02, _03 batches of one second in the order they were published', async () => {
    const dir = tempDir();
    const future = '2026-12-04T10:00:00Z';
    batch(dir, 'weekly', '20261127T070000Z', future);
    batch(dir, 'weekly', '20261127T070000Z_02', future);
    batch(dir, 'weekly', '20261127T070000Z_10', future);
    expect((await applyRetention(dir, 'weekly', 2, NOW)).sort()).toEqual([
      'weekly-20261127T070000Z.csv',
      'weekly-20261127T070000Z.manifest.json',
      'weekly-20261127T070000Z.rejects.csv',
    ]);
  });

  it('never touches the batch the run published: not when a later-stamped batch exists, not when its tokens expired', async () => {
    const dir = tempDir();
    const future = '2026-12-04T10:00:00Z';
    batch(dir, 'weekly', '20261201T070000Z', future); // an earlier run with a later --now, or a clock stepped back
    batch(dir, 'weekly', '20261127T070000Z', future); // just published
    const removed = await applyRetention(dir, 'weekly', 1, NOW, 'weekly-20261127T070000Z.manifest.json');
    expect(removed.sort()).toEqual([
      'weekly-20261201T070000Z.csv',
      'weekly-20261201T070000Z.manifest.json',
      'weekly-20261201T070000Z.rejects.csv',
    ]);
    expect(readdirSync(dir)).toHaveLength(3);

    batch(dir, 'weekly', '20261118T070000Z', '2026-11-19T07:00:00Z'); // published with --allow-expired
    expect(await applyRetention(dir, 'weekly', 10, NOW, 'weekly-20261118T070000Z.manifest.json')).toEqual([]);
    expect(readdirSync(dir)).toHaveLength(6);
  });

  it('run: a batch published while a later-stamped one exists stays, and so does a second batch in the same second', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'jobs'));
    writeFileSync(join(dir, 'roster.csv'), 'room\ndemo\n');
    writeFileSync(join(dir, 'jobs', 'weekly.yaml'), `roster: ../roster.csv\nout: ../out\ndomain_id: ${DOMAIN_ID}\nttl: 2d\nkeep: 1\n`);
    const soon = (hours: number): string => new Date(Math.floor(Date.now() / 1000 + hours * 3600) * 1000).toISOString();
    const run = (now: string) => runCli(['run', 'weekly', '--jobs', join(dir, 'jobs'), '--now', now, '--log-level', 'silent']);
    const manifestOf = (stdout: string): string => /-> (.*\.manifest\.json)\n$/.exec(stdout)![1]!;

    const later = soon(5);
    const sooner = soon(1);
    expect((await run(later)).code).toBe(0);
    const earlier = await run(sooner);
    expect(earlier.code).toBe(0);
    expect(existsSync(manifestOf(earlier.stdout))).toBe(true);
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toEqual([
      manifestOf(earlier.stdout).split('/').pop(),
    ]);

    const again = await run(sooner);
    expect(again.code).toBe(0);
    expect(manifestOf(again.stdout)).toBe(manifestOf(earlier.stdout).replace(/Z\.manifest\.json$/, 'Z_02.manifest.json'));
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toEqual([manifestOf(again.stdout).split('/').pop()]);
  });
});
