/**
 * Daylight saving: node-cron matches a slot in the job's time zone at every instant whose wall
 * clock fits the schedule. In the hour that repeats when clocks fall back, "30 2 * * *" in
 * Europe/Berlin fits two instants (00:30Z and 01:30Z on 2026-10-25), which node-cron treats as two
 * slots; a batch of invitations must go out once. This remembers the last wall-clock slot run per
 * job and refuses the repeat. (A wall-clock slot inside the hour skipped in spring simply does not
 * occur that day; node-cron carries on the next day.)
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** `2026-10-25 02:30:00 Europe/Berlin`: the slot as the job's clock shows it. */
export function wallClockSlot(slot: Date, timeZone: string): string {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('sv-SE', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  return `${format.format(slot)} ${timeZone}`;
}

export class WallClockSlots {
  private readonly last = new Map<string, string>();

  /** True the first time this job sees this wall-clock slot; false for a fall-back repeat. */
  first(job: string, slot: Date, timeZone: string): boolean {
    const key = wallClockSlot(slot, timeZone);
    if (this.last.get(job) === key) return false;
    this.last.set(job, key);
    return true;
  }
}
