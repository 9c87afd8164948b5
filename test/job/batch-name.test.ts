import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { batchFilePattern, batchNames, nextBatchNames, BATCH_SUFFIXES } from '../../src/job/batch-name.js';
import { tempDir } from '../helpers.js';

const NOW = new Date('2026-11-27T10:00:00.750Z');

function publish(dir: string, job: string, stamp: string): void {
  for (const suffix of BATCH_SUFFIXES) writeFileSync(join(dir, `${job}-${stamp}${suffix}`), '');
}

describe('batch names', () => {
  it('are <job>-<stamp> for the first batch of a second, then _02, _03 after the highest taken', async () => {
    const dir = tempDir();
    expect(await nextBatchNames(dir, 'weekly', NOW)).toEqual({
      stamp: '20261127T100000Z',
      tokens: 'weekly-20261127T100000Z.csv',
      rejects: 'weekly-20261127T100000Z.rejects.csv',
      manifest: 'weekly-20261127T100000Z.manifest.json',
    });
    publish(dir, 'weekly', '20261127T100000Z');
    expect((await nextBatchNames(dir, 'weekly', NOW)).manifest).toBe('weekly-20261127T100000Z_02.manifest.json');
    publish(dir, 'weekly', '20261127T100000Z_02');
    expect((await nextBatchNames(dir, 'weekly', NOW)).stamp).toBe('20261127T100000Z_03');
    // Only a later one left (retention removed the others): the new batch still sorts after it.
    const sparse = tempDir();
    writeFileSync(join(sparse, 'weekly-20261127T100000Z_07.rejects.csv'), '');
    expect((await nextBatchNames(sparse, 'weekly', NOW)).stamp).toBe('20261127T100000Z_08');
  });

  it('ignore other jobs, other seconds and files that only look alike', async () => {
    const dir = tempDir();
    publish(dir, 'biweekly', '20261127T100000Z');
    publish(dir, 'weekly-extra', '20261127T100000Z');
    publish(dir, 'weekly', '20261127T095959Z');
    writeFileSync(join(dir, 'weekly-20261127T100000Z.csv.bak'), '');
    expect((await nextBatchNames(dir, 'weekly', NOW)).stamp).toBe('20261127T100000Z');
  });

  it('stop at _99 with OUTPUT_EXISTS rather than replace anything', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'weekly-20261127T100000Z_99.manifest.json'), '');
    await expect(nextBatchNames(dir, 'weekly', NOW)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });

  it('sort as time, stamp by stamp and file name by file name', () => {
    const stamps = ['20261127T100000Z', '20261127T100000Z_02', '20261127T100000Z_10', '20261127T100001Z'];
    const files = stamps.flatMap((stamp) => Object.values(batchNames('weekly', stamp)).slice(1));
    expect([...files].sort()).toEqual(
      stamps.flatMap((stamp) => {
        const names = batchNames('weekly', stamp);
        return [names.tokens, names.manifest, names.rejects];
      }),
    );
    expect([...stamps].reverse().sort()).toEqual(stamps);
  });

  it('the pattern matches a job exactly: not a job whose name ends or starts the same way', () => {
    const pattern = batchFilePattern('weekly', '.manifest.json');
    expect(pattern.exec('weekly-20261127T100000Z.manifest.json')?.[1]).toBe('20261127T100000Z');
    expect(pattern.exec('weekly-20261127T100000Z_02.manifest.json')?.[1]).toBe('20261127T100000Z_02');
    for (const name of [
      'biweekly-20261127T100000Z.manifest.json',
      'weekly-extra-20261127T100000Z.manifest.json',
      'weekly-20261127T100000Z.manifest.json.bak',
      'weekly-20261127T100000Z_2.manifest.json',
      'weekly-+0100001127T100000Z.manifest.json',
    ]) {
      expect(pattern.test(name), name).toBe(false);
    }
  });
});
