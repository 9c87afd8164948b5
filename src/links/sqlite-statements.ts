/** The SQLite store's statements, each prepared once, and the rows they read. */
import type BetterSqlite3 from 'better-sqlite3';
import type { LinkFields } from './lookup.js';

export interface RunRow {
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

export interface LinkRow extends LinkFields {
  key: number;
  verifier: Uint8Array;
  opens: number;
  first_open: number | null;
  last_open: number | null;
  revoked_at: number | null;
}

/** Every statement of the store, prepared on `db`. */
export function prepareStatements(db: BetterSqlite3.Database) {
  const committedRun = 'SELECT seq FROM runs WHERE committed_at IS NOT NULL';
  return {
    beginRun: db.prepare(
      'INSERT INTO runs (run_id, job, domain_id, domain_name, mint, created_at) VALUES (@runId, @job, @domainId, @domainName, @mint, @createdAt)',
    ),
    run: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
    runBySeq: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE seq = ?'),
    insert: db.prepare('INSERT INTO links (key, verifier, room, claims, nbf, exp, user_id, token) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    commit: db.prepare('UPDATE runs SET committed_at = ? WHERE run_id = ? AND committed_at IS NULL'),
    deleteLinks: db.prepare('DELETE FROM links WHERE key BETWEEN ? AND ?'),
    deleteLink: db.prepare('DELETE FROM links WHERE key = ?'),
    deleteRun: db.prepare('DELETE FROM runs WHERE seq = ?'),
    stale: db.prepare<[number], RunRow>('SELECT * FROM runs WHERE committed_at IS NULL AND created_at < ?'),
    get: db.prepare<[number], LinkRow>('SELECT * FROM links WHERE key = ?'),
    verifier: db.prepare<[number], { verifier: Uint8Array }>('SELECT verifier FROM links WHERE key = ?'),
    open: db.prepare(
      `UPDATE links SET opens = opens + 1, first_open = coalesce(first_open, @at), last_open = @at
       WHERE key = @key AND (key >> 32) IN (${committedRun})`,
    ),
    opens: db.prepare<[{ key: number; opens: number; first: number; last: number }]>(
      `UPDATE links SET opens = opens + @opens, first_open = min(coalesce(first_open, @first), @first),
       last_open = max(coalesce(last_open, @last), @last) WHERE key = @key AND (key >> 32) IN (${committedRun})`,
    ),
    revokeId: db.prepare(`UPDATE links SET revoked_at = coalesce(revoked_at, ?) WHERE key = ? AND (key >> 32) IN (${committedRun})`),
    revokeUser: db.prepare(
      `UPDATE links SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL
       AND (key >> 32) IN (SELECT seq FROM runs WHERE committed_at IS NOT NULL AND revoked_at IS NULL)`,
    ),
    revokeRun: db.prepare('UPDATE runs SET revoked_at = coalesce(revoked_at, ?) WHERE run_id = ? AND committed_at IS NOT NULL'),
    count: db.prepare<[number, number], { links: number; opened: number; opens: number; revoked: number }>(
      `SELECT count(*) AS links, count(first_open) AS opened, coalesce(sum(opens), 0) AS opens,
       count(revoked_at) AS revoked FROM links WHERE key BETWEEN ? AND ?`,
    ),
    page: db.prepare<[number, number, number], LinkRow>(
      'SELECT key, user_id, opens, first_open, last_open, revoked_at FROM links WHERE key > ? AND key <= ? ORDER BY key LIMIT ?',
    ),
  };
}
