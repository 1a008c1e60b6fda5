// The revision log's queries. Every method is synchronous (node:sqlite), so a read and the
// decision taken on it happen in one turn of the event loop; writes additionally run inside
// BEGIN IMMEDIATE so that a second process on the same file cannot interleave.
import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface LogRow {
  /** The revision. */
  id: number;
  name: string;
  created: boolean;
  deleted: boolean;
  createRevision: number;
  prevRevision: number;
  value: string;
}

/** A row with the value it superseded, for watch events (absent for creations). */
export interface ReplayRow extends LogRow {
  prev?: { value: string; createRevision: number };
}

/** Keys with a prefix: name >= start AND name < end (byte order, as SQLite compares TEXT). */
export interface KeyRange {
  start: string;
  end: string;
}

const columns = 'r.id, r.name, r.created, r.deleted, r.create_revision, r.prev_revision, r.value';
// Live rows of a key range as of a revision: each name's newest row at or below it, unless a
// tombstone. Walking the (name, id) index keeps key order without sorting 2 KiB values.
const liveAt = `FROM revisions r INDEXED BY revisions_name_id
  WHERE r.name >= ? AND r.name < ? AND r.deleted = 0
    AND r.id = (SELECT MAX(x.id) FROM revisions x WHERE x.name = r.name AND x.id <= ?)`;

export class RevisionLog {
  private readonly db: DatabaseSync;
  private readonly statements: Record<
    'sequence' | 'latest' | 'insert' | 'list' | 'count' | 'replay' | 'compactSuperseded' | 'compactTombstones' | 'getMeta' | 'setMeta',
    StatementSync
  >;

  constructor(db: DatabaseSync) {
    this.db = db;
    const prepare = (sql: string) => db.prepare(sql);
    this.statements = {
      sequence: prepare(`SELECT seq FROM sqlite_sequence WHERE name = 'revisions'`),
      latest: prepare(`SELECT ${columns} FROM revisions r WHERE r.name = ? ORDER BY r.id DESC LIMIT 1`),
      insert: prepare(
        `INSERT INTO revisions (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: prepare(`SELECT ${columns} ${liveAt} ORDER BY r.name LIMIT ?`),
      count: prepare(`SELECT COUNT(*) AS n ${liveAt}`),
      // "+r.name": walk the primary key (revision order), filtering names, rather than sorting a name range.
      replay: prepare(
        `SELECT ${columns}, p.value AS prev_value, p.create_revision AS prev_create_revision
         FROM revisions r LEFT JOIN revisions p ON p.id = r.prev_revision AND r.created = 0 AND r.deleted = 0
         WHERE r.id > ? AND +r.name >= ? AND +r.name < ? ORDER BY r.id LIMIT ?`,
      ),
      // A row superseded by a row at or below the compaction revision is no longer anyone's state.
      compactSuperseded: prepare(
        `DELETE FROM revisions WHERE id IN (SELECT prev_revision FROM revisions WHERE id <= ? AND prev_revision != 0)`,
      ),
      compactTombstones: prepare(`DELETE FROM revisions WHERE id <= ? AND deleted = 1`),
      getMeta: prepare(`SELECT value FROM store_meta WHERE name = ?`),
      setMeta: prepare(`INSERT INTO store_meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
    };
  }

  /** Runs `fn` in a write transaction; rolls back if it throws. */
  write<T>(fn: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The newest revision handed out (AUTOINCREMENT never reuses one, even after compaction). */
  currentRevision(): number {
    const row = this.statements.sequence.get();
    return row ? Number(row.seq) : 0;
  }

  latest(name: string): LogRow | undefined {
    const row = this.statements.latest.get(name);
    return row ? toLogRow(row) : undefined;
  }

  /** Appends the next revision; call inside write(). */
  append(row: Omit<LogRow, 'id' | 'createRevision'> & { createRevision?: number }): LogRow {
    const id = this.currentRevision() + 1;
    const appended: LogRow = { ...row, id, createRevision: row.createRevision ?? id };
    const { name, created, deleted, createRevision, prevRevision, value } = appended;
    this.statements.insert.run(id, name, created ? 1 : 0, deleted ? 1 : 0, createRevision, prevRevision, value);
    return appended;
  }

  /** Live keys in `range` as of `revision`, from `range.start` on, in key order. */
  list(range: KeyRange, revision: number, limit: number): LogRow[] {
    return this.statements.list.all(range.start, range.end, revision, limit).map(toLogRow);
  }

  count(range: KeyRange, revision: number): number {
    return Number(this.statements.count.get(range.start, range.end, revision)?.n ?? 0);
  }

  /** Rows in `range` with a revision above `after`, oldest first. */
  replay(range: KeyRange, after: number, limit: number): ReplayRow[] {
    return this.statements.replay.all(after, range.start, range.end, limit).map((row) => {
      const replayed: ReplayRow = toLogRow(row);
      if (row.prev_value !== null) {
        replayed.prev = { value: String(row.prev_value), createRevision: Number(row.prev_create_revision) };
      }
      return replayed;
    });
  }

  compactRevision(): number {
    return Number(this.statements.getMeta.get('compact_revision')?.value ?? 0);
  }

  /** Forgets history at or below `revision` and records it; call inside write(). */
  compact(revision: number): void {
    this.statements.compactSuperseded.run(revision);
    this.statements.compactTombstones.run(revision);
    this.statements.setMeta.run('compact_revision', revision);
  }
}

function toLogRow(row: Record<string, unknown>): LogRow {
  return {
    id: Number(row.id),
    name: String(row.name),
    created: row.created === 1,
    deleted: row.deleted === 1,
    createRevision: Number(row.create_revision),
    prevRevision: Number(row.prev_revision),
    value: String(row.value),
  };
}
