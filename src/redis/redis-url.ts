/**
 * REDIS_URL checked before the Redis client sees it: the client throws a bare TypeError for a
 * scheme or database path it does not know and a URIError for a bad %-escape in the password.
 * Messages name the host, never the user name or password.
 */
import { MeetingTokensError } from '../errors.js';

const FORM = 'redis://[[user]:password@]host[:port][/db] or rediss://...';

/** The URL's host (for messages), or a USAGE error naming `variable`, saying what is wrong with it. */
export function checkRedisUrl(url: string, variable = 'REDIS_URL'): string {
  const invalid = (what: string): MeetingTokensError => new MeetingTokensError('USAGE', `${variable}: ${what}; the form is ${FORM}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('not a URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw invalid(`the scheme is ${parsed.protocol.slice(0, 20)}`);
  if (parsed.hostname === '') throw invalid('no host');
  if (!/^(\/\d{0,5})?$/.test(parsed.pathname)) throw invalid(`the path must be a database number such as /0 (${parsed.host})`);
  for (const [part, text] of [
    ['user name', parsed.username],
    ['password', parsed.password],
  ] as const) {
    try {
      decodeURIComponent(text);
    } catch {
      throw invalid(`the ${part} has a % not followed by two hex digits (write % as %25) (${parsed.host})`);
    }
  }
  if (parsed.search !== '' || parsed.hash !== '') throw invalid(`no ?query or #fragment is used (${parsed.host})`);
  return parsed.host;
}

/** `url` without user name, password, query or fragment: what a manifest or a log may show. */
export function redisLocation(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.host}${parsed.pathname === '' ? '' : parsed.pathname}`;
}
