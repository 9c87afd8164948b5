/**
 * The link store in one SQLite file (better-sqlite3, loaded only by a job with links): WAL, so
 * `serve` reads while a run writes; one transaction per chunk of links; every statement prepared
 * once. A run's links are rows tied to its `runs` row, resolvable only once that row is committed.
 */
import { closeSync, openSync } from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import { MeetingTokensError } from '../errors.js';
import type { LinkLookup, LinkOpens, LinkRun, LinkStore, NewLink, RunStats } from './link-store.js';
import { SQLITE_SCHEMA } from './sqlite-schema.js';
import { liveLink, lookup, type StoredLink } from './lookup.js';

type Db = BetterSqlite3.Database;

interface RunRow {
  seq: number;
  run_id: string;
  job: string;
  domain_id: string;
  domain_name: string;
  mint: string;
  created_at: number;
  committed_at: number | null;
  revoked_at: number | null;
}

interface LinkRow {
  id: string;
  run: number;
  room: string;
  claims: string;
  nbf: number | null;
  exp: number;
  line: number;
  user_id: string | null;
  token: string | null;
  opens: number;
  first_open: number | null;
  last_open: number | null;
  revoked_at: number | null;
}

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
    this.s = {
      beginRun: db.prepare(
        'INSERT INTO runs (run_id, job, domain_id, domain_name, mint, created_at) VALUES (@runId, @job, @domainId, @domainName, @mint, @createdAt)',
      ),
      run: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
      runBySeq: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE seq = ?'),
      insert: db.prepare('INSERT INTO links (id, run, room, claims, nbf, exp, line, user_id, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      commit: db.prepare('UPDATE runs SET committed_at = ? WHERE run_id = ? AND committed_at IS NULL'),
      deleteLinks: db.prepare('DELETE FROM links WHERE run = ?'),
      deleteRun: db.prepare('DELETE FROM runs WHERE seq = ?'),
      get: db.prepare<[string], LinkRow>('SELECT * FROM links WHERE id = ?'),
      open: db.prepare(
        `UPDATE links SET opens = opens + 1, first_open = coalesce(first_open, @at), last_open = @at
         WHERE id = @id AND run IN (SELECT seq FROM runs WHERE committed_at IS NOT NULL)`,
      ),
      revokeId: db.prepare(
        `UPDATE links SET revoked_at = coalesce(revoked_at, ?)
         WHERE id = ? AND run IN (SELECT seq FROM runs WHERE committed_at IS NOT NULL)`,
      ),
      revokeUser: db.prepare(
        `UPDATE links SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL
         AND run IN (SELECT seq FROM runs WHERE committed_at IS NOT NULL AND revoked_at IS NULL)`,
      ),
      revokeRun: db.prepare('UPDATE runs SET revoked_at = coalesce(revoked_at, ?) WHERE run_id = ? AND committed_at IS NOT NULL'),
      count: db.prepare<[number], { links: number; opened: number; opens: number; revoked: number }>(
        `SELECT count(*) AS links, count(first_open) AS opened, coalesce(sum(opens), 0) AS opens,
         count(revoked_at) AS revoked FROM links WHERE run = ?`,
      ),
      page: db.prepare<[number, number, number], LinkRow>('SELECT * FROM links WHERE run = ? AND line > ? ORDER BY line LIMIT ?'),
    };
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
      db.pragma('cache_size = -65536');
      db.exec(SQLITE_SCHEMA);
    } catch (error) {
      throw new MeetingTokensError('CONFIG_INVALID', `links store ${path}: ${(error as Error).message}`);
    }
    return new SqliteLinkStore(db, path);
  }

  async beginRun(run: LinkRun): Promise<void> {
    this.s.beginRun.run(run);
  }

  async write(runId: string, links: readonly NewLink[]): Promise<void> {
    const seq = this.runSeq(runId);
    const insert = this.s.insert;
    this.db.transaction(() => {
      for (const l of links) insert.run(l.id, seq, l.room, l.claimsJson, l.nbf, l.exp, l.line, l.userId, l.token);
    })();
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
    this.db.transaction(() => {
      this.s.deleteLinks.run(run.seq);
      this.s.deleteRun.run(run.seq);
    })();
  }

  async get(id: string, at: number): Promise<LinkLookup> {
    const row = this.s.get.get(id);
    const run = row && this.s.runBySeq.get(row.run);
    if (row === undefined || run === undefined) return { status: 'unknown' };
    return lookup(this.stored(row, run), at);
  }

  async recordOpen(id: string, at: number): Promise<boolean> {
    return this.s.open.run({ id, at }).changes === 1;
  }

  async revokeId(id: string): Promise<boolean> {
    return this.s.revokeId.run(now(), id).changes === 1;
  }

  async revokeUser(userId: string): Promise<number> {
    return this.s.revokeUser.run(now(), userId).changes;
  }

  async revokeRun(runId: string): Promise<number> {
    const run = this.s.run.get(runId);
    if (run === undefined || run.committed_at === null) return 0;
    this.s.revokeRun.run(now(), runId);
    return this.s.count.get(run.seq)!.links;
  }

  async runStats(runId: string): Promise<RunStats | undefined> {
    const run = this.s.run.get(runId);
    if (run === undefined) return undefined;
    const c = this.s.count.get(run.seq)!;
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
    let after = -1;
    for (;;) {
      const rows = this.s.page.all(run.seq, after, PAGE);
      for (const r of rows) {
        yield {
          id: r.id,
          line: r.line,
          userId: r.user_id,
          opens: r.opens,
          firstOpen: r.first_open,
          lastOpen: r.last_open,
          revoked: r.revoked_at !== null || run.revoked_at !== null,
        };
      }
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]!.line;
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

  private stored(row: LinkRow, run: RunRow): StoredLink {
    return {
      committed: run.committed_at !== null,
      revoked: row.revoked_at !== null || run.revoked_at !== null,
      link: () =>
        liveLink(row, JSON.parse(row.claims) as Record<string, unknown>, {
          runId: run.run_id,
          job: run.job,
          domainId: run.domain_id,
          domainName: run.domain_name,
          mint: run.mint === 'stored' ? 'stored' : 'at_click',
          createdAt: run.created_at,
        }),
    };
  }
}
