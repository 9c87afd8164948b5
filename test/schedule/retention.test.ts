import { describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyRetention } from '../../src/schedule/retention.js';
import { tempDir } from '../helpers.js';

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

  it('deletes an expired batch even when it is among the newest', async () => {
    const dir = tempDir();
    batch(dir, 'weekly', '20261127T070000Z', '2026-11-27T09:00:00Z');
    expect(await applyRetention(dir, 'weekly', 10, NOW)).toHaveLength(3);
    expect(readdirSync(dir)).toEqual([]);
  });
});
