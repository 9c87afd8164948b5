/**
 * The signals that stop a run or the scheduler: Ctrl-C (SIGINT), a supervisor's stop (SIGTERM)
 * and a closed terminal or SSH session (SIGHUP). Node's default for each is to die at once,
 * leaving temporary files that hold tokens and the job's lock behind; caught, each becomes an
 * orderly stop (nothing published, files removed, lock released, history written).
 */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export interface SignalTrap {
  /** The first stop signal received, if any. */
  received: () => StopSignal | undefined;
  /** Resolves with the first stop signal. */
  stopped: Promise<StopSignal>;
  /** Gives the signals back to Node's defaults. */
  release: () => void;
}

/**
 * Catches every stop signal until `release()`, calling `onStop` once, with the first. Later
 * signals are caught too: a second Ctrl-C must not kill the process in the middle of the
 * clean-up the first one started.
 */
export function trapStopSignals(onStop: (signal: StopSignal) => void = () => undefined): SignalTrap {
  let first: StopSignal | undefined;
  let resolveStopped: (signal: StopSignal) => void = () => undefined;
  const stopped = new Promise<StopSignal>((resolve) => (resolveStopped = resolve));
  const handler = (signal: NodeJS.Signals): void => {
    if (first !== undefined) return;
    first = signal as StopSignal;
    onStop(first);
    resolveStopped(first);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return {
    received: () => first,
    stopped,
    release: () => {
      for (const signal of STOP_SIGNALS) process.off(signal, handler);
    },
  };
}
