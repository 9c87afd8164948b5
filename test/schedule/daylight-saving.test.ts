import { afterAll, describe, expect, it } from 'vitest';
import { createTask } from 'node-cron';
import { WallClockSlots, wallClockSlot } from '../../src/schedule/wall-clock.js';
import { lastSlot } from '../../src/schedule/last-slot.js';

// What node-cron 4 does at daylight-saving changes, written down as tests (its `match` is what
// fires a task), and what the scheduler adds so that a job neither runs twice for one slot nor
// stops afterwards. Europe/Berlin 2026: spring forward 03-29 02:00 -> 03:00, fall back 10-25
// 03:00 -> 02:00.
const task = createTask('30 2 * * *', () => undefined, { timezone: 'Europe/Berlin' });
afterAll(() => task.destroy());

describe('daylight saving (Europe/Berlin, "30 2 * * *")', () => {
  it('spring forward: the skipped 02:30 never fires that day, and the schedule carries on the next day', () => {
    expect(task.match(new Date('2026-03-29T00:30:00Z'))).toBe(false); // would be 01:30 CET
    expect(task.match(new Date('2026-03-29T01:30:00Z'))).toBe(false); // 03:30 CEST
    expect(task.match(new Date('2026-03-28T01:30:00Z'))).toBe(true); // 02:30 CET the day before
    expect(task.match(new Date('2026-03-30T00:30:00Z'))).toBe(true); // 02:30 CEST the day after
    // Catch-up after the change finds the last real slot, the day before.
    expect(lastSlot(task, false, new Date('2026-03-29T12:00:00Z'), 0)?.toISOString()).toBe('2026-03-28T01:30:00.000Z');
  });

  it('fall back: node-cron matches both instants of the repeated 02:30; the scheduler runs the first only', () => {
    const first = new Date('2026-10-25T00:30:00Z'); // 02:30 CEST
    const second = new Date('2026-10-25T01:30:00Z'); // 02:30 CET, the same wall clock
    expect(task.match(first)).toBe(true);
    expect(task.match(second)).toBe(true);
    expect(wallClockSlot(first, 'Europe/Berlin')).toBe('2026-10-25 02:30:00 Europe/Berlin');
    expect(wallClockSlot(second, 'Europe/Berlin')).toBe('2026-10-25 02:30:00 Europe/Berlin');

    const slots = new WallClockSlots();
    expect(slots.first('nightly', first, 'Europe/Berlin')).toBe(true);
    expect(slots.first('nightly', second, 'Europe/Berlin')).toBe(false);
    expect(slots.first('other', second, 'Europe/Berlin')).toBe(true); // per job
    // And it does not stop afterwards: the next night's slot runs.
    const next = new Date('2026-10-26T01:30:00Z');
    expect(task.match(next)).toBe(true);
    expect(slots.first('nightly', next, 'Europe/Berlin')).toBe(true);
  });

  it('a UTC schedule has no such hours', () => {
    expect(wallClockSlot(new Date('2026-10-25T01:30:00Z'), 'UTC')).toBe('2026-10-25 01:30:00 UTC');
  });
});
