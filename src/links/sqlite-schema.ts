/**
 * The SQLite store's tables. Links are appended in roster order (rowid order), so a run's links
 * sit together and the index by run grows at its end; the index by id takes the random inserts,
 * and stays small (id and rowid). No index by user id: revoking by user id (rare) scans the
 * table, which costs about a second per million links, where the index cost every run ~15%.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  seq INTEGER PRIMARY KEY,
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
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  run INTEGER NOT NULL,
  room TEXT NOT NULL,
  claims TEXT NOT NULL,
  nbf INTEGER,
  exp INTEGER NOT NULL,
  line INTEGER NOT NULL,
  user_id TEXT,
  token TEXT,
  opens INTEGER NOT NULL DEFAULT 0,
  first_open INTEGER,
  last_open INTEGER,
  revoked_at INTEGER
);
CREATE INDEX IF NOT EXISTS links_by_run ON links (run, line);
`;
