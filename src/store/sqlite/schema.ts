// Opens the SQLite file and creates the revision log. WAL with synchronous=FULL: every commit
// fsyncs the WAL before the write is acknowledged, so an acknowledged write survives kill -9 of
// the process and also a power loss (NORMAL would survive the former only).
import { DatabaseSync } from 'node:sqlite';

// One row per revision (the design of k3s's kine). The newest row of a name is its current state;
// `deleted` rows are tombstones; `prev_revision` points at the row this one supersedes.
// UNIQUE (name, prev_revision): two writers that both read the same current row cannot both
// append after it.
const ddl = `
CREATE TABLE IF NOT EXISTS revisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS revisions_name_id ON revisions (name, id);
CREATE UNIQUE INDEX IF NOT EXISTS revisions_name_prev_revision ON revisions (name, prev_revision);
CREATE TABLE IF NOT EXISTS store_meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
`;

export function openDatabase(path: string): DatabaseSync {
  const db = new DatabaseSync(path, { timeout: 5_000 });
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec(ddl);
  } catch (err) {
    db.close();
    throw new Error(`opening SQLite store ${path}: ${(err as Error).message}`, { cause: err });
  }
  return db;
}
