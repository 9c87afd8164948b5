/**
 * One chunk's short links as its rows are signed: each row's URL, and its record gathered a
 * column at a time (NewLinks), so that it crosses from the worker thread as a few arrays and one
 * byte buffer (moved, not copied), not as an object per link.
 */
import { restClaimsJson } from './link-claims.js';
import { linkKey, locatorOf, VERIFIER_HASH_BYTES, verifierHash } from './link-id.js';
import type { NewLinks } from './link-store.js';

export class ChunkLinks {
  private links: NewLinks;
  private hashes = Buffer.allocUnsafe(VERIFIER_HASH_BYTES * 1024);
  private count = 0;

  /** `urlPrefix`: `<base_url>/j/`; `runSeq`: the run's seq in the store; `storeTokens`: `mint: stored`. */
  constructor(private readonly spec: { urlPrefix: string; runSeq: number; storeTokens: boolean }) {
    this.links = emptyLinks(spec.storeTokens);
  }

  /** The short URL of the row on `line`, whose verifier is `verifier`. */
  url(line: number, verifier: string): string {
    return this.spec.urlPrefix + locatorOf(linkKey(this.spec.runSeq, line)) + verifier;
  }

  /** Keeps the record of a signed row's link (`token` is kept only with `mint: stored`; `claimsJson`: the JSON signed). */
  add(
    line: number,
    verifier: string,
    room: string,
    claims: Readonly<Record<string, unknown>>,
    nbf: number | null,
    exp: number,
    userId: string | null,
    token: string,
    claimsJson?: string,
  ): void {
    const l = this.links;
    if ((this.count + 1) * VERIFIER_HASH_BYTES > this.hashes.length) {
      const grown = Buffer.allocUnsafe(this.hashes.length * 2);
      this.hashes.copy(grown);
      this.hashes = grown;
    }
    verifierHash(verifier).copy(this.hashes, this.count * VERIFIER_HASH_BYTES);
    this.count++;
    l.lines.push(line);
    l.rooms.push(room);
    l.claims.push(restClaimsJson(claims, claimsJson));
    l.nbf.push(nbf);
    l.exp.push(exp);
    l.userIds.push(userId);
    l.tokens?.push(token);
  }

  /** The chunk's records (its own buffer: a worker moves it to the main thread). */
  take(): NewLinks {
    const links = this.links;
    const hashes = new Uint8Array(this.count * VERIFIER_HASH_BYTES);
    hashes.set(this.hashes.subarray(0, hashes.byteLength));
    links.verifierHashes = hashes;
    this.links = emptyLinks(this.spec.storeTokens);
    this.count = 0;
    return links;
  }
}

function emptyLinks(storeTokens: boolean): NewLinks {
  return {
    lines: [],
    verifierHashes: new Uint8Array(0),
    rooms: [],
    claims: [],
    nbf: [],
    exp: [],
    userIds: [],
    tokens: storeTokens ? [] : undefined,
  };
}
