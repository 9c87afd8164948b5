import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { CLI, DOMAIN_ID, KEY, NOW, keyLeak, tempDir, writeFile } from '../helpers.js';
import { buildRunConfig } from '../../src/config/run-config.js';
import { loadApiKey } from '../../src/config/api-key.js';
import { createLogger } from '../../src/log.js';
import { runJob } from '../../src/job/run-job.js';
import { EXIT } from '../../src/errors.js';

// The published manifest is the record of what ran: a slot already published never runs again,
// and a run that published but could not write its history line says so instead of "failed".

describe('a slot whose manifest is published', () => {
  it('does not run again, whatever the history says; a run by hand is not held back', async () => {
    const dir = tempDir();
    const config = buildRunConfig(undefined, {
      roster: writeFile(dir, 'roster.csv', 'room,name\ndemo,Ada\n'),
      out: join(dir, 'out'),
      domainId: DOMAIN_ID,
    });
    const options = {
      config,
      apiKey: loadApiKey({ DAILY_API_KEY: KEY }, { allowWeakKey: false, demoAllowed: false }),
      log: createLogger('silent', false),
      slot: '2026-11-27T07:00:00.000Z',
      allowExpired: true, // signed at the fixed NOW, whose tokens expire while the suite is in use
    };
    const first = await runJob({ ...options, now: new Date(NOW), stateDir: join(dir, 'state-a') });
    expect(first.manifest).toMatchObject({ slot: '2026-11-27T07:00:00.000Z', status: 'done' });
    // Another state directory (another replica, or this one after losing its history line).
    await expect(runJob({ ...options, now: new Date(Date.parse(NOW) + 5000), stateDir: join(dir, 'state-b') })).rejects.toMatchObject({
      code: 'SLOT_PUBLISHED',
      message: `slot 2026-11-27T07:00:00.000Z of job roster was already published (${first.manifestPath.split('/').pop()})`,
    });
    expect(readdirSync(join(dir, 'out')).filter((f) => f.endsWith('.manifest.json'))).toHaveLength(1);
    expect(existsSync(join(dir, 'state-b', 'roster.history.jsonl'))).toBe(false);
    // Another slot, and a run by hand, do run.
    const next = await runJob({
      ...options,
      slot: '2026-11-27T08:00:00.000Z',
      now: new Date(Date.parse(NOW) + 10_000),
      stateDir: join(dir, 'state-b'),
    });
    expect(next.manifest.slot).toBe('2026-11-27T08:00:00.000Z');
    const byHand = await runJob({ ...options, slot: null, now: new Date(Date.parse(NOW) + 15_000), stateDir: join(dir, 'state-b') });
    expect(byHand.manifest.slot).toBeNull();
  });
});

// A full state directory, for real: a small tmpfs that the test mounts (root only), filled while
// the run is signing, after it took its lock.
const mountPoint = join(tempDir('mt-state-'), 'small');
let mounted = false;
let why = '';
beforeAll(() => {
  mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    why = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`;
    console.warn(`full state directory test not run: ${why}`);
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
});

function fill(dir: string): void {
  const fd = openSync(join(dir, 'filler'), 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    for (;;) writeSync(fd, block);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

describe('published, but the history line could not be written', () => {
  it('is not "internal error, exit 1": it names the published manifest and exits 5', async (ctx) => {
    if (!mounted) ctx.skip(why);
    const dir = tempDir();
    const roster = createWriteStream(join(dir, 'roster.csv'));
    roster.write('room,name\n');
    for (let i = 0; i < 150_000; i++) roster.write(`room-${i % 50},Person number ${i}\n`);
    roster.end();
    await once(roster, 'finish');
    const state = join(mountPoint, 'state');
    const out = join(dir, 'out');
    const args = [
      'run',
      '--roster',
      join(dir, 'roster.csv'),
      '--out',
      out,
      '--domain-id',
      DOMAIN_ID,
      '--state',
      state,
      '--log-level',
      'silent',
    ];
    const child = spawn(process.execPath, [CLI, ...args, '--workers', '0'], { env: { ...process.env, DAILY_API_KEY: KEY } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = once(child, 'close');
    // Signing has begun (a temporary output file), so the run holds its lock: fill the state directory.
    while (!(existsSync(out) && readdirSync(out).some((f) => f.endsWith('.tmp')))) await new Promise((r) => setTimeout(r, 10));
    fill(mountPoint);
    const [code] = (await exit) as [number];
    expect(
      keyLeak(
        KEY,
        [
          ['stderr', stderr],
          ['stdout', stdout],
        ],
        [dir, mountPoint],
      ),
    ).toBeUndefined();
    const manifest = readdirSync(out).find((f) => f.endsWith('.manifest.json'));
    expect(manifest).toBeDefined();
    expect(JSON.parse(readFileSync(join(out, manifest!), 'utf8'))).toMatchObject({ status: 'done', tokens_written: 150_000 });
    expect(stderr).toBe(
      `meeting-tokens: published ${join(out, manifest!)}; could not record it in history: cannot use the state directory ${state}: the disk is full; do not run it again\n`,
    );
    expect(code).toBe(EXIT.publishedUnrecorded);
    expect(code).toBe(5);
    expect(existsSync(join(state, 'roster.lock'))).toBe(false);
  }, 60_000);
});
