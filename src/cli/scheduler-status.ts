/** What `status` says about the scheduler, from the heartbeats in the state directory. */
import { heartbeatAlive, type Heartbeat } from '../state/heartbeat.js';

export interface SchedulerState {
  /** A live scheduler serving this jobs directory. */
  live: Heartbeat | undefined;
  /** Live schedulers sharing the state directory for another jobs directory. */
  others: Heartbeat[];
  /** The most recent heartbeat that is no longer alive (a scheduler that died or hangs). */
  lastSeen: Heartbeat | undefined;
}

export function schedulerFor(beats: Heartbeat[], jobsDir: string, now: number = Date.now()): SchedulerState {
  const newestFirst = [...beats].sort((a, b) => Date.parse(b.updated_at) - Date.parse(a.updated_at));
  const alive = newestFirst.filter((beat) => heartbeatAlive(beat, now));
  return {
    live: alive.find((beat) => beat.jobs_dir === jobsDir),
    others: alive.filter((beat) => beat.jobs_dir !== jobsDir),
    lastSeen: newestFirst.find((beat) => beat.jobs_dir === jobsDir && !alive.includes(beat)),
  };
}

export function schedulerLine(state: SchedulerState, stateDir: string, now: number = Date.now()): string {
  const who = (beat: Heartbeat): string => `pid ${beat.pid} on ${beat.host}`;
  const ago = (iso: string): string => `${Math.max(0, Math.round((now - Date.parse(iso)) / 1000))} s ago`;
  let line: string;
  if (state.live) {
    line = `scheduler: running (${who(state.live)}, since ${state.live.started_at.slice(0, 19)}Z, last heartbeat ${ago(state.live.updated_at)})`;
  } else {
    const seen = state.lastSeen
      ? `its last heartbeat, from ${who(state.lastSeen)}, is ${ago(state.lastSeen.updated_at)}`
      : `no heartbeat in ${stateDir}`;
    line = `scheduler: not running for these jobs (${seen}); scheduled jobs run only while \`meeting-tokens schedule\` runs`;
  }
  for (const other of state.others) line += `\nanother scheduler (${who(other)}) uses this state directory for ${other.jobs_dir}`;
  return line;
}
