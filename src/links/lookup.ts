/** The answer to a link lookup, decided the same way by every store. */
import type { LinkLookup, LinkRun, LiveLink } from './link-store.js';

/** What a store found under an id, before deciding what it means. */
export interface StoredLink {
  committed: boolean;
  revoked: boolean;
  /** The full link, built only when it is needed. */
  link: () => LiveLink;
}

/** Unknown unless committed; then revoked, expired (`exp` <= `now`) or live. */
export function lookup(stored: StoredLink, now: number): LinkLookup {
  if (!stored.committed) return { status: 'unknown' };
  if (stored.revoked) return { status: 'revoked' };
  const link = stored.link();
  return link.exp <= now ? { status: 'expired', exp: link.exp, link } : { status: 'live', link };
}

/** A link's fields as stores keep them (SQLite's column names). */
export interface LinkFields {
  id: string;
  room: string;
  nbf: number | null;
  exp: number;
  line: number;
  user_id: string | null;
  token: string | null;
}

export function liveLink(f: LinkFields, claims: Record<string, unknown>, run: LinkRun): LiveLink {
  return { id: f.id, room: f.room, claims, nbf: f.nbf, exp: f.exp, line: f.line, userId: f.user_id, token: f.token, run };
}
