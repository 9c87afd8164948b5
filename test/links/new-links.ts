/** Link records for store tests, made the way a run's chunks make them (ChunkLinks). */
import { ChunkLinks } from '../../src/links/chunk-links.js';
import { LinkVerifiers } from '../../src/links/link-id.js';
import type { LinkRun, NewLinks } from '../../src/links/link-store.js';

export interface LinkRow {
  line: number;
  exp: number;
  room?: string;
  nbf?: number | null;
  userId?: string | null;
  /** Kept when given (as with `mint: stored`). */
  token?: string;
  /** Claims after the ones every record holds. */
  extra?: Record<string, unknown>;
}

/** A link as made: its id, its locator, and the claims the batch signed. */
export interface MadeLink {
  id: string;
  locator: string;
  line: number;
  exp: number;
  claims: Record<string, unknown>;
}

/** One chunk's records of `rows`, written under run `run` (seq `seq`), and the links made. */
export function linkRows(run: LinkRun, seq: number, rows: readonly LinkRow[]): { batch: NewLinks; made: MadeLink[] } {
  const storeTokens = rows.some((r) => r.token !== undefined);
  const chunk = new ChunkLinks({ urlPrefix: '', runSeq: seq, storeTokens });
  const verifiers = new LinkVerifiers();
  const made = rows.map((r): MadeLink => {
    const room = r.room ?? 'standup';
    const nbf = r.nbf ?? null;
    const userId = r.userId === undefined ? `u${r.line}` : r.userId;
    // map-row.ts's order: r, d, iat, nbf, exp, then the rest.
    const claims: Record<string, unknown> = { r: room, d: run.domainId, iat: run.createdAt };
    if (nbf !== null) claims['nbf'] = nbf;
    claims['exp'] = r.exp;
    if (userId !== null) claims['ud'] = userId;
    Object.assign(claims, r.extra ?? { u: `User ${r.line}` });
    const verifier = verifiers.verifier();
    const id = chunk.url(r.line, verifier);
    chunk.add(r.line, verifier, room, claims, nbf, r.exp, userId, r.token ?? '');
    return { id, locator: id.slice(0, id.length - 22), line: r.line, exp: r.exp, claims };
  });
  return { batch: chunk.take(), made };
}
