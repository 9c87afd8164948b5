/**
 * healthchecks.io-style pings: `<url>/start` when a run starts, `<url>` when it succeeds,
 * `<url>/<exit code>` when it fails. One attempt each, within a short time limit: a ping never
 * delays a run's work or changes its outcome, and a missing ping is what the checker alarms on.
 */
import { post, type PostOutcome } from './http-post.js';

/** `<url>/start`, `<url>/3`: the suffix joins the path; the query stays. */
export function pingUrl(url: string, suffix: string): string {
  if (suffix === '') return url;
  const parsed = new URL(url);
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/${suffix}`;
  return parsed.href;
}

/** The suffix a finished run pings: none for success, its exit code otherwise. */
export function finishSuffix(exitCode: number): string {
  return exitCode === 0 ? '' : String(exitCode);
}

export function ping(url: string, suffix: string, body: string, timeoutMs: number): Promise<PostOutcome> {
  return post(pingUrl(url, suffix), body, { 'content-type': 'text/plain; charset=utf-8', 'user-agent': 'meeting-tokens' }, timeoutMs);
}
