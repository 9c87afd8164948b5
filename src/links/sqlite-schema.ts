/**
 * The SQLite store's tables. A link's key is `run seq * 2^32 + roster line` (link-id.ts), the
 * table's integer primary key: a run appends its records in key order, and a run's records are
 * one key range, so the table needs no other index. Measured with 1M records a run: an index on a
 * random id made the writing cost about 4x (each commit rewrote pages all over that index); keyed
 * appends cost about as much as the rows' bytes. No index by user id either: revoking by user id
 * (rare) scans the table, about a second per million links.
 * `runs.seq` is AUTOINCREMENT: a seq is never given twice, so the keys of a removed run never
 * come back under another run.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL UNIQUE,
  job TEXT NOT NULL,
  domain_id TEXT NOT NULL,
  domain_name TEXT NOT NULL,
  mint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  committed_at INTEGER,
  revoked_at INTEGER
);
CREATE TABLE IF NOT EXISTS links (
  key INTEGER PRIMARY KEY,
  verifier BLOB NOT NULL,
  room TEXT NOT NULL,
  claims TEXT NOT NULL,
  nbf INTEGER,
  exp INTEGER NOT NULL,
  user_id TEXT,
  token TEXT,
  opens INTEGER NOT NULL DEFAULT 0,
  first_open INTEGER,
  last_open INTEGER,
  revoked_at INTEGER
);
`;
