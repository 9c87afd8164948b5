/**
 * Where a signal stops mattering: a run aborted at any moment before its manifest is linked
 * publishes nothing (files already linked are taken back); once the manifest is linked, the
 * batch is out and the run finishes as done.
 */
import { describe, expect, it, vi } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { buildRunConfig } from '../../src/config/run-config.js';
import { runBatch } from '../../src/job/run-batch.js';
import { exitCodeFor } from '../../src/errors.js';
import { tempDir, writeFile, KEY, DOMAIN_ID, NOW } from '../helpers.js';

/** Called after each link() the code under test makes, with the new name. */
const afterLink = vi.hoisted(() => ({ hook: (_name: string): void => undefined }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs/promises')>();
  const link = async (from: string, to: string): Promise<void> => {
    await fs.link(from, to);
    afterLink.hook(to.split('/').pop()!);
  };
  return { ...fs, link, default: { ...fs, link } };
});

async function runAbortedAfter(linked: RegExp): Promise<{ outcome: unknown; files: string[] }> {
  const dir = tempDir();
  writeFile(dir, 'roster.csv', 'room,name,id\nroom-1,Ada,a1\nroom-2,Bob,b2\nbad room,Cy,c3\n');
  const config = buildRunConfig(undefined, { roster: join(dir, 'roster.csv'), out: join(dir, 'out'), domainId: DOMAIN_ID });
  const controller = new AbortController();
  afterLink.hook = (name) => {
    if (linked.test(name)) controller.abort('SIGTERM');
  };
  const outcome = await runBatch({
    config,
    apiKey: { key: KEY, source: 'DAILY_API_KEY' },
    now: new Date(NOW),
    log: pino({ level: 'silent' }),
    signal: controller.signal,
    workers: 0,
    allowExpired: true,
  }).then(
    (result) => result.manifest.status,
    (error: unknown) => error,
  );
  return { outcome, files: readdirSync(join(dir, 'out')).sort() };
}

describe('the point of no return is the manifest link', () => {
  it.each([
    ['the tokens file', /^roster-\d{8}T\d{6}Z\.csv$/],
    ['the rejects file', /\.rejects\.csv$/],
  ])('a signal after %s was linked: aborted, exit 143, nothing left published', async (_what, linked) => {
    const { outcome, files } = await runAbortedAfter(linked);
    expect(outcome).toMatchObject({
      code: 'ABORTED',
      message: 'run aborted (SIGTERM); nothing was published',
      context: { signal: 'SIGTERM' },
    });
    expect(exitCodeFor(outcome)).toBe(143);
    expect(files).toEqual([]);
  });

  it('a signal after the manifest was linked: the batch is published and the run is done', async () => {
    const { outcome, files } = await runAbortedAfter(/\.manifest\.json$/);
    expect(outcome).toBe('done');
    expect(files.map((f) => f.replace(/\d{8}T\d{6}Z/, 'T'))).toEqual(['roster-T.csv', 'roster-T.manifest.json', 'roster-T.rejects.csv']);
  });
});
