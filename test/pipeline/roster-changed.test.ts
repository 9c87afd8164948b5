import { describe, expect, it } from 'vitest';
import { appendFileSync, openSync, readdirSync, utimesSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { runBatch } from '../../src/job/run-batch.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { createLogger } from '../../src/log.js';
import { tempDir, writeFile, DOMAIN_ID, KEY, NOW } from '../helpers.js';

// No line break after the last row: the reader hands that row on only once it has reached the
// end of the file, so the change below comes after every byte of the roster was read.
const ROSTER = 'room,name\ndemo,Ada\ndemo,Bob\ndemo,Cy';
const ROWS = 3;

/** Runs a batch in this process and calls `change(rosterPath)` once every row has been signed. */
function runAndChange(change: (path: string) => void) {
  const dir = tempDir();
  const roster = writeFile(dir, 'roster.csv', ROSTER);
  const written = new Date(Date.now() - 3600_000); // an hour ago: a change now has another mtime
  utimesSync(roster, written, written);
  const out = join(dir, 'out');
  const run = runBatch({
    config: buildRunConfig(undefined, { roster, out, domainId: DOMAIN_ID }),
    apiKey: { key: KEY, source: 'DAILY_API_KEY' },
    now: new Date(NOW),
    log: createLogger('silent', false),
    workers: 0,
    allowExpired: true, // NOW is in the past: the tokens may have expired by the time this runs
    onProgress: (rows) => rows === ROWS && change(roster),
  });
  return { run, out };
}

describe('a roster that changes after it was read to the end, before the batch is published', () => {
  it('appended to: fails, publishes nothing (not the batch without the new rows)', async () => {
    const { run, out } = runAndChange((path) => appendFileSync(path, '\ndemo,Late'));
    await expect(run).rejects.toMatchObject({
      code: 'ROSTER_CHANGED',
      message: expect.stringMatching(/changed \(\d+ bytes at the start, \d+ read, \d+ now\): is it still being written\?/),
    });
    expect(readdirSync(out)).toEqual([]);
  });

  it('rewritten in place with the same size: fails, publishes nothing', async () => {
    const { run, out } = runAndChange((path) => {
      const fd = openSync(path, 'r+');
      writeSync(fd, 'Eve', ROSTER.indexOf('Ada'));
      closeSync(fd);
    });
    await expect(run).rejects.toMatchObject({ code: 'ROSTER_CHANGED' });
    expect(readdirSync(out)).toEqual([]);
  });
});
