import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdirSync, readdirSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { runCli, tempDir, DOMAIN_ID, NOW } from '../helpers.js';
import { DuplicateCounter } from '../../src/duplicates/duplicate-counter.js';
import { WORDS } from '../../src/duplicates/record-layout.js';
import { RecipientGrouper } from '../../src/group/recipient-grouper.js';
import { GroupRecordWriter } from '../../src/group/group-record.js';

// A full disk, for real: a 1 MiB tmpfs that the test mounts (root only). Where mounting is not
// allowed the test says why and is not run.
const mountPoint = join(tempDir('mt-disk-'), 'small');
let mounted = false;
let why = '';
beforeAll(() => {
  mkdirSync(mountPoint);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', mountPoint], { stdio: 'pipe' });
    mounted = true;
  } catch (error) {
    why = `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]})`;
    console.warn(`disk-full test not run: ${why}`);
  }
});
afterAll(() => {
  if (mounted) execFileSync('umount', [mountPoint]);
});

describe('disk full', () => {
  it.for(['0', '2'])(
    'with %s worker threads: fails with one clear line, publishes nothing, leaves no temporary file',
    async (workers, ctx) => {
      if (!mounted) ctx.skip(why);
      const dir = tempDir();
      const roster = join(dir, 'roster.csv');
      const out = createWriteStream(roster);
      out.write('room,name\n');
      for (let i = 0; i < 20_000; i++) out.write(`room-${i % 50},Person number ${i}\n`); // ~12 MB of tokens: far over 1 MiB
      out.end();
      await once(out, 'finish');
      const result = await runCli([
        'run',
        '--roster',
        roster,
        '--out',
        join(mountPoint, 'out'),
        '--domain-id',
        DOMAIN_ID,
        '--domain-name',
        'acme',
        '--now',
        NOW,
        '--log-level',
        'silent',
        '--workers',
        workers,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`meeting-tokens: cannot write to ${join(mountPoint, 'out')}: the disk is full; nothing was published\n`);
      expect(readdirSync(join(mountPoint, 'out'))).toEqual([]);
      execFileSync('rm', ['-rf', join(mountPoint, 'out')]);
    },
  );
});

describe('disk full under the duplicate check', () => {
  it('its spill file fails with the same clear line and leaves nothing behind', async (ctx) => {
    if (!mounted) ctx.skip(why);
    const dir = join(mountPoint, 'spill');
    mkdirSync(dir);
    const counter = new DuplicateCounter(dir, 4096); // 64 KiB runs: 200,000 records need 3 MiB
    const keys = new Uint32Array(200_000 * WORDS).map((_, i) => i * 2654435761);
    await expect(counter.add(keys)).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: the disk is full; nothing was published`,
    });
    await counter.discard();
    expect(readdirSync(dir)).toEqual([]);
    execFileSync('rm', ['-rf', dir]);
  });
});

describe('disk full under the recipient grouping', () => {
  it.for(['0', '2'])(
    'a run with group_by and %s worker threads: one clear line, nothing published, no temporary file',
    async (workers, ctx) => {
      if (!mounted) ctx.skip(why);
      const dir = tempDir();
      const roster = join(dir, 'roster.csv');
      const out = createWriteStream(roster);
      out.write('email,room,name\n');
      // ~30 MB of signed rows: over an 8 MiB run, so the grouping spills (and the disk fills) before any line is written.
      for (let i = 0; i < 45_000; i++) out.write(`p${i % 20_000}@example.com,room-${i % 50},Person number ${i}\n`);
      out.end();
      await once(out, 'finish');
      const target = join(mountPoint, 'grouped');
      const result = await runCli([
        'run',
        '--roster',
        roster,
        '--out',
        target,
        '--domain-id',
        DOMAIN_ID,
        '--domain-name',
        'acme',
        '--now',
        NOW,
        '--log-level',
        'silent',
        '--workers',
        workers,
        '--group-by',
        'email',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`meeting-tokens: cannot write to ${target}: the disk is full; nothing was published\n`);
      expect(readdirSync(target)).toEqual([]);
      execFileSync('rm', ['-rf', target]);
    },
  );

  it('its spill file fails with the same clear line and leaves nothing behind', async (ctx) => {
    if (!mounted) ctx.skip(why);
    const dir = join(mountPoint, 'group-spill');
    mkdirSync(dir);
    const grouper = new RecipientGrouper(dir, 5, { runBytes: 64 << 10, runRecords: 4096, fanIn: 4 });
    const records = new GroupRecordWriter();
    for (let i = 0; i < 20_000; i++) records.add([i, i * 7], i + 2, `k${i}`, ['x'.repeat(100)], []); // ~3 MB
    await expect(grouper.add(records.bytes())).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: `cannot write to ${dir}: the disk is full; nothing was published`,
    });
    await grouper.discard();
    expect(readdirSync(dir)).toEqual([]);
    execFileSync('rm', ['-rf', dir]);
  });
});

describe('output directory not writable', () => {
  it('read-only file system: exit 1, one line, before any row is signed', async (ctx) => {
    if (!mounted) ctx.skip(why);
    const readOnly = join(tempDir('mt-ro-'), 'ro');
    mkdirSync(readOnly);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=64k', 'tmpfs', readOnly]);
    try {
      const dir = tempDir();
      const roster = join(dir, 'roster.csv');
      const out = createWriteStream(roster);
      out.end('room,name\ndemo,Ada\n');
      await once(out, 'finish');
      const result = await runCli([
        'run',
        '--roster',
        roster,
        '--out',
        readOnly,
        '--domain-id',
        DOMAIN_ID,
        '--now',
        NOW,
        '--log-level',
        'info',
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`meeting-tokens: output directory ${readOnly}: not writable\n`); // no "run started": nothing was signed
    } finally {
      execFileSync('umount', [readOnly]);
    }
  });
});
