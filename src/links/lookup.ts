/** The answer to a link lookup, decided the same way by every store. */
import type { LinkLookup, LinkRun, LiveLink } from './link-store.js';
import { joinClaims } from './link-claims.js';

/** What a store found under an id, before deciding what it means. */
export interface StoredLink {
  /** The verifier in the id is the one whose hash the record keeps (link-id.ts `verifierMatches`). */
  verified: boolean;
  committed: boolean;
  revoked: boolean;
  /** The full link, built only when it is needed. */
  link: () => LiveLink;
}

/**
 * Unknown unless verified and committed (a wrong verifier answers as no record: a 404, never a
 * 410, so that an id tells nothing of whether its locator exists); then revoked, expired
 * (`exp` <= `now`) or live.
 */
export function lookup(stored: StoredLink, now: number): LinkLookup {
  if (!stored.verified || !stored.committed) return { status: 'unknown' };
  if (stored.revoked) return { status: 'revoked' };
  const link = stored.link();
  return link.exp <= now ? { status: 'expired', exp: link.exp, link } : { status: 'live', link };
}

/** A link's fields as stores keep them (SQLite's column names). */
export interface LinkFields {
  room: string;
  /** The claims JSON without what the record and its run hold (link-claims.ts). */
  claims: string;
  nbf: number | null;
  exp: number;
  user_id: string | null;
  token: string | null;
}

/** The link as `get` answers it; `line` from its key. */
export function liveLink(id: string, line: number, f: LinkFields, run: LinkRun): LiveLink {
  const claims = joinClaims({ room: f.room, domainId: run.domainId, iat: run.createdAt, nbf: f.nbf, exp: f.exp }, f.claims);
  return { id, room: f.room, claims, nbf: f.nbf, exp: f.exp, line, userId: f.user_id, token: f.token, run };
}
