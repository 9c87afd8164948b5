/** What one delivery of a batch to one destination came to: for the record file, history and results. */
export interface DeliveryOutcome {
  /** The destination's URL, which carries no credentials (the job file refuses a password in it). */
  destination: string;
  status: 'delivered' | 'failed';
  started_at: string;
  finished_at: string;
  /** Tries made, the first included. */
  attempts: number;
  /** Files now at the destination under their final names, the manifest included. */
  files_delivered: number;
  /** One line, for a failed delivery: what went wrong on the last try. */
  error?: string;
}

/** `sftp://a@h/x, s3://b/p` with each failure's reason: the line a failed delivery prints. */
export function failedDeliveries(outcomes: readonly DeliveryOutcome[]): string | undefined {
  const failed = outcomes.filter((o) => o.status === 'failed');
  if (failed.length === 0) return undefined;
  return failed
    .map((o) => `${o.destination} failed after ${o.attempts} ${o.attempts === 1 ? 'try' : 'tries'} (${o.error ?? 'error'})`)
    .join('; ');
}
