import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { heartbeatAlive, readHeartbeats, startHeartbeat, type Heartbeat } from '../../src/state/heartbeat.js';
import { tempDir } from '../helpers.js';

const DEAD_PID = 999_999_999;
const nameOf = (pid: number, host = hostname()): string => `scheduler-${host}-${pid}.heartbeat.json`;
const beat = (extra: Partial<Heartbeat> = {}): Heartbeat => ({
  pid: process.ppid,
  host: hostname(),
  started_at: '2026-11-27T10:00:00.000Z',
  updated_at: '2026-11-27T10:00:00.000Z',
  interval_s: 20,
  jobs_dir: '/jobs',
  jobs: { weekly: '0 7 * * mon (UTC)' },
  ...extra,
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scheduler heartbeat', () => {
  it('is written at once under its own name, rewritten every interval, and removed on stop, leaving nothing else', async () => {
    const state = join(tempDir(), 'state'); // created when missing
    const errors: unknown[] = [];
    const hb = await startHeartbeat(state, { jobs_dir: '/jobs', jobs: { weekly: '0 7 * * mon (UTC)' } }, 30, (e) => errors.push(e));
    const path = join(state, nameOf(process.pid));
    const first = JSON.parse(readFileSync(path, 'utf8')) as Heartbeat;
    expect(first).toEqual({
      pid: process.pid,
      host: hostname(),
      started_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      interval_s: 0.03,
      jobs_dir: '/jobs',
      jobs: { weekly: '0 7 * * mon (UTC)' },
    });
    expect(Date.parse(first.updated_at)).toBeGreaterThanOrEqual(Date.parse(first.started_at));
    let now = first;
    for (let i = 0; i < 500 && now.updated_at === first.updated_at; i++) {
      await sleep(10);
      now = JSON.parse(readFileSync(path, 'utf8')) as Heartbeat;
    }
    expect(Date.parse(now.updated_at)).toBeGreaterThan(Date.parse(first.updated_at));
    expect(now.started_at).toBe(first.started_at);
    expect(await readHeartbeats(state)).toEqual([expect.objectContaining({ pid: process.pid })]);
    await hb.stop();
    expect(readdirSync(state)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("removes at start the heartbeats of this host's schedulers that died, not live ones nor other hosts'", async () => {
    const state = tempDir();
    const dead = nameOf(DEAD_PID);
    const live = nameOf(process.ppid);
    const elsewhere = nameOf(DEAD_PID, 'elsewhere');
    writeFileSync(join(state, dead), JSON.stringify(beat({ pid: DEAD_PID })));
    writeFileSync(join(state, live), JSON.stringify(beat()));
    writeFileSync(join(state, elsewhere), JSON.stringify(beat({ pid: DEAD_PID, host: 'elsewhere' })));
    const hb = await startHeartbeat(state, { jobs_dir: '/jobs', jobs: {} }, 60_000, () => undefined);
    expect(readdirSync(state).sort()).toEqual([elsewhere, live, nameOf(process.pid)].sort());
    await hb.stop();
    expect(readdirSync(state).sort()).toEqual([elsewhere, live].sort());
  });

  it('reports a failed write once per outage, keeps beating, and reports the next outage again', async () => {
    const state = tempDir();
    const errors: unknown[] = [];
    const hb = await startHeartbeat(state, { jobs_dir: '/jobs', jobs: {} }, 20, (e) => errors.push(e));
    const path = join(state, nameOf(process.pid));
    rmSync(state, { recursive: true });
    for (let i = 0; i < 500 && errors.length === 0; i++) await sleep(10);
    await sleep(200); // more failed beats, however many this machine manages
    expect(errors).toHaveLength(1);
    mkdirSync(state);
    for (let i = 0; i < 500 && !existsSync(path); i++) await sleep(10);
    expect(existsSync(path)).toBe(true); // beating again
    // (A beat still failing from the outage may report late on a loaded machine: count from here.)
    const reported = errors.length;
    rmSync(state, { recursive: true });
    for (let i = 0; i < 500 && errors.length === reported; i++) await sleep(10);
    expect(errors.length).toBeGreaterThan(reported);
    await hb.stop();
  });

  it('a state directory that cannot be created is reported, and the scheduler goes on', async () => {
    const file = join(tempDir(), 'state');
    writeFileSync(file, 'not a directory');
    const errors: unknown[] = [];
    const hb = await startHeartbeat(file, { jobs_dir: '/jobs', jobs: {} }, 60_000, (e) => errors.push(e));
    expect(errors).toHaveLength(1);
    await hb.stop();
  });

  it('reads only well-formed heartbeat files: no symlink, nothing oversized, nothing malformed, no other name', async () => {
    const state = tempDir();
    const good = beat({ pid: 1 });
    writeFileSync(join(state, nameOf(1)), JSON.stringify(good));
    const forged = join(tempDir(), 'forged.json');
    writeFileSync(forged, JSON.stringify(beat({ pid: 2 })));
    symlinkSync(forged, join(state, nameOf(2)));
    writeFileSync(join(state, nameOf(3)), JSON.stringify({ ...beat({ pid: 3 }), pad: 'x'.repeat(256 * 1024) }));
    writeFileSync(join(state, 'scheduler-x-4.heartbeat.json.tmp'), JSON.stringify(beat({ pid: 4 })));
    writeFileSync(join(state, 'other-scheduler-x-5.heartbeat.json'), JSON.stringify(beat({ pid: 5 })));
    writeFileSync(join(state, nameOf(6)), '{"pid": 6, "host": ');
    mkdirSync(join(state, nameOf(7)));
    const broken: [number, Record<string, unknown>][] = [
      [10, { pid: 1.5 }],
      [11, { pid: '11' }],
      [12, { host: 12 }],
      [13, { started_at: 13 }],
      [14, { updated_at: 14 }],
      [21, { updated_at: 2026 }],
      [15, { updated_at: 'yesterday' }],
      [16, { interval_s: '20' }],
      [17, { interval_s: 0 }],
      [18, { jobs_dir: 18 }],
      [19, { jobs: 'weekly' }],
      [20, { jobs: null }],
    ];
    for (const [pid, extra] of broken) writeFileSync(join(state, nameOf(pid)), JSON.stringify({ ...beat({ pid }), ...extra }));
    expect(await readHeartbeats(state)).toEqual([good]);
    // Exactly at the size limit still counts.
    const text = JSON.stringify({ ...beat({ pid: 8 }), pad: '' });
    writeFileSync(join(state, nameOf(8)), JSON.stringify({ ...beat({ pid: 8 }), pad: 'x'.repeat(256 * 1024 - text.length) }));
    expect((await readHeartbeats(state)).map((b) => b.pid).sort()).toEqual([1, 8]);
    expect(await readHeartbeats(join(state, 'missing'))).toEqual([]);
    const before = readdirSync('/proc/self/fd').length;
    for (let i = 0; i < 10; i++) await readHeartbeats(state); // status reads them often
    // A leak would be one descriptor per file per read; other code may open one or two meanwhile.
    expect(readdirSync('/proc/self/fd').length).toBeLessThanOrEqual(before + 2);
  });

  it('is alive while updated within three intervals and, on this host, while its process lives', () => {
    const at = Date.parse('2026-11-27T10:00:00.000Z');
    expect(heartbeatAlive(beat(), at + 60_000)).toBe(true);
    expect(heartbeatAlive(beat(), at + 60_001)).toBe(false);
    expect(heartbeatAlive(beat({ pid: DEAD_PID }), at)).toBe(false);
    expect(heartbeatAlive(beat({ pid: DEAD_PID, host: 'elsewhere' }), at + 60_000)).toBe(true);
    expect(heartbeatAlive(beat({ pid: DEAD_PID, host: 'elsewhere' }), at + 60_001)).toBe(false);
  });
});
