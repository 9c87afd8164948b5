/**
 * The link store in one SQLite file (better-sqlite3, loaded only by a job with links): WAL, so
 * `serve` reads while a run writes; one transaction per chunk of links; every statement prepared
 * once. A run's links are rows tied to its `runs` row, resolvable only once that row is committed.
 */
import { closeSync, openSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { MeetingTokensError } from '../errors.js';
import type { LinkLookup, LinkOpens, LinkRun, LinkStore, NewLinks, OpenCount, RunStats } from './link-store.js';
import { SQLITE_SCHEMA } from './sqlite-schema.js';
import { prepareStatements, type RunRow } from './sqlite-statements.js';
import { liveLink, lookup } from './lookup.js';
import { lineOfKey, linkKey, locatorOf, parseLinkId, runKeys, VERIFIER_HASH_BYTES, verifierMatches } from './link-id.js';

type Db = BetterSqlite3.Database;

const PAGE = 1000;
const now = (): number => Math.floor(Date.now() / 1000);

export class SqliteLinkStore implements LinkStore {
  readonly location: string;
  private readonly s;

  private constructor(
    private readonly db: Db,
    path: string,
  ) {
    this.location = `sqlite:${path}`;
    this.s = prepareStatements(db);
  }

  /** Opens (creating when missing) the store at `path`. */
  static async open(path: string): Promise<SqliteLinkStore> {
    const { default: Database } = await import('better-sqlite3');
    let db: Db;
    try {
      // Records carry names and user ids, like the tokens file: private to the owner (SQLite
      // gives its -wal and -shm files the mode of the database file).
      closeSync(openSync(path, 'a', 0o600));
      db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 10000');
      // Appends in key order touch few pages: SQLite's default page cache (2 MB) does.
      db.exec(SQLITE_SCHEMA);
    } catch (error) {
      throw new MeetingTokensError('CONFIG_INVALID', `links store ${path}: ${(error as Error).message}`);
    }
    return new SqliteLinkStore(db, path);
  }

  async beginRun(run: LinkRun): Promise<number> {
    return Number(this.s.beginRun.run(run).lastInsertRowid);
  }

  async write(runId: string, batches: readonly NewLinks[]): Promise<void> {
    const seq = this.runSeq(runId);
    const insert = this.s.insert;
    this.db.transaction(() => {
      for (const b of batches) {
        const hashes = Buffer.from(b.verifierHashes.buffer, b.verifierHashes.byteOffset, b.verifierHashes.byteLength);
        for (let i = 0; i < b.lines.length; i++) {
          const at = i * VERIFIER_HASH_BYTES;
          const token = b.tokens === undefined ? null : b.tokens[i]!;
          insert.run(
            linkKey(seq, b.lines[i]!),
            hashes.subarray(at, at + VERIFIER_HASH_BYTES),
            b.rooms[i]!,
            b.claims[i]!,
            b.nbf[i]!,
            b.exp[i]!,
            b.userIds[i]!,
            token,
          );
        }
      }
    })();
  }

  async dropLines(runId: string, lines: readonly number[]): Promise<number> {
    const seq = this.runSeq(runId);
    return this.db.transaction(() => {
      let removed = 0;
      for (const line of lines) removed += this.s.deleteLink.run(linkKey(seq, line)).changes;
      return removed;
    })();
  }

  async purgeStale(before: number): Promise<number> {
    const stale = this.s.stale.all(before);
    for (const run of stale) this.removeRun(run.seq);
    return stale.length;
  }

  async commitRun(runId: string): Promise<void> {
    // The commit must outlive a power cut once the manifest is published: this one write syncs.
    this.db.pragma('synchronous = FULL');
    try {
      if (this.s.commit.run(now(), runId).changes !== 1) this.runSeq(runId);
    } finally {
      this.db.pragma('synchronous = NORMAL');
    }
  }

  async discardRun(runId: string): Promise<void> {
    const run = this.s.run.get(runId);
    if (run === undefined || run.committed_at !== null) return;
    this.removeRun(run.seq);
  }

  async get(id: string, at: number): Promise<LinkLookup> {
    const parsed = parseLinkId(id);
    const row = parsed && this.s.get.get(parsed.key);
    const run = row && this.s.runBySeq.get(Math.floor(row.key / 2 ** 32));
    if (row === undefined || run === undefined) return { status: 'unknown' };
    return lookup(
      {
        verified: verifierMatches(row.verifier, parsed!.verifier),
        committed: run.committed_at !== null,
        revoked: row.revoked_at !== null || run.revoked_at !== null,
        link: () => liveLink(id, lineOfKey(row.key), row, linkRun(run)),
      },
      at,
    );
  }

  async recordOpen(id: string, at: number): Promise<boolean> {
    const key = this.verifiedKey(id);
    return key !== undefined && this.s.open.run({ key, at }).changes === 1;
  }

  async recordOpens(counts: readonly OpenCount[]): Promise<number> {
    const update = this.s.opens;
    return this.db.transaction(() => {
      let counted = 0;
      for (const { id, opens, first, last } of counts) {
        const key = this.verifiedKey(id);
        if (key !== undefined) counted += update.run({ key, opens, first, last }).changes;
      }
      return counted;
    })();
  }

  async revokeId(id: string): Promise<boolean> {
    const key = this.verifiedKey(id);
    return key !== undefined && this.s.revokeId.run(now(), key).changes === 1;
  }

  async revokeUser(userId: string): Promise<number> {
    return this.s.revokeUser.run(now(), userId).changes;
  }

  async revokeRun(runId: string): Promise<number> {
    const run = this.s.run.get(runId);
    if (run === undefined || run.committed_at === null) return 0;
    this.s.revokeRun.run(now(), runId);
    return this.s.count.get(...runKeys(run.seq))!.links;
  }

  async runStats(runId: string): Promise<RunStats | undefined> {
    const run = this.s.run.get(runId);
    if (run === undefined) return undefined;
    const c = this.s.count.get(...runKeys(run.seq))!;
    return {
      runId,
      committed: run.committed_at !== null,
      revoked: run.revoked_at !== null,
      links: c.links,
      opened: c.opened,
      opens: c.opens,
      revokedLinks: run.revoked_at !== null ? c.links : c.revoked,
    };
  }

  async *linkOpens(runId: string): AsyncIterable<LinkOpens> {
    const run = this.s.run.get(runId);
    if (run === undefined) return;
    const [first, last] = runKeys(run.seq);
    let after = first - 1;
    for (;;) {
      const rows = this.s.page.all(after, last, PAGE);
      for (const r of rows) {
        yield {
          locator: locatorOf(r.key),
          line: lineOfKey(r.key),
          userId: r.user_id,
          opens: r.opens,
          firstOpen: r.first_open,
          lastOpen: r.last_open,
          revoked: r.revoked_at !== null || run.revoked_at !== null,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.key;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private runSeq(runId: string): number {
    const run = this.s.run.get(runId);
    if (run === undefined) throw new MeetingTokensError('INTERNAL', 'links store: a run was written before it was begun');
    return run.seq;
  }

  /** The key of the record `id` names when its verifier matches; else undefined. */
  private verifiedKey(id: string): number | undefined {
    const parsed = parseLinkId(id);
    const row = parsed && this.s.verifier.get(parsed.key);
    return row !== undefined && verifierMatches(row.verifier, parsed!.verifier) ? parsed!.key : undefined;
  }

  private removeRun(seq: number): void {
    this.db.transaction(() => {
      this.s.deleteLinks.run(...runKeys(seq));
      this.s.deleteRun.run(seq);
    })();
  }
}

function linkRun(run: RunRow): LinkRun {
  return {
    runId: run.run_id,
    job: run.job,
    domainId: run.domain_id,
    domainName: run.domain_name,
    mint: run.mint === 'stored' ? 'stored' : 'at_click',
    createdAt: run.created_at,
  };
}
