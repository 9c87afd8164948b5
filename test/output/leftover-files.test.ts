import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { removeOrphanedOutputs } from '../../src/job/orphans.js';
import { TEMP_PREFIX, removeStaleTemps } from '../../src/files/temp-file.js';
import { tempDir } from '../helpers.js';

const MINUTE = 60_000;

describe('outputs without a manifest', () => {
  it('stay for ten minutes after their last write (a run elsewhere may be writing its manifest), then go', async () => {
    const dir = tempDir();
    const names = ['weekly-20261101T090000Z.csv', 'weekly-20261101T090000Z.rejects.csv'];
    const written = new Date(Date.now() - 60 * MINUTE);
    for (const name of names) {
      writeFileSync(join(dir, name), 'x');
      utimesSync(join(dir, name), written, written);
    }
    const after = (ms: number) => written.getTime() + ms;
    expect(await removeOrphanedOutputs(dir, 'weekly', after(1000))).toEqual([]);
    expect(await removeOrphanedOutputs(dir, 'weekly', after(9 * MINUTE + 59_000))).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(names);
    expect((await removeOrphanedOutputs(dir, 'weekly', after(10 * MINUTE + 1000))).sort()).toEqual(names);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('temporary files', () => {
  it('of this host stay while their writer, another process, lives; go once it has died', async () => {
    const dir = tempDir();
    const writer = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = once(writer, 'exit');
    try {
      const name = `${TEMP_PREFIX}${hostname()}.${writer.pid}.0123456789abcdef.tmp`;
      writeFileSync(join(dir, name), 'tokens being written');
      expect(await removeStaleTemps(dir)).toEqual([]);
      expect(readdirSync(dir)).toEqual([name]);
      writer.kill('SIGKILL');
      await exited;
      expect(await removeStaleTemps(dir)).toEqual([name]);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it("of this host but another writer's pid are judged by that pid, never by name alone", async () => {
    const dir = tempDir();
    // pid 1 lives as long as the system does; its files are never a dead run's.
    const name = `${TEMP_PREFIX}${hostname()}.1.0123456789abcdef.tmp`;
    writeFileSync(join(dir, name), 'x');
    expect(await removeStaleTemps(dir)).toEqual([]);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('of another host stay for a day after their last write (a run there may be writing them), then go', async () => {
    const dir = tempDir();
    const name = `${TEMP_PREFIX}elsewhere.1234.0123456789abcdef.tmp`;
    writeFileSync(join(dir, name), 'x');
    const written = new Date(Date.now() - 3600_000);
    utimesSync(join(dir, name), written, written);
    const after = (ms: number) => written.getTime() + ms;
    expect(await removeStaleTemps(dir, after(23 * 60 * MINUTE))).toEqual([]);
    expect(await removeStaleTemps(dir, after(24 * 60 * MINUTE - 1000))).toEqual([]);
    expect(readdirSync(dir)).toEqual([name]);
    expect(await removeStaleTemps(dir, after(24 * 60 * MINUTE + 1000))).toEqual([name]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
