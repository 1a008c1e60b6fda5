// The embedded store: the Store contract over an append-only revision log in one SQLite file.
//
//   create/update/delete ─▶ BEGIN IMMEDIATE → read newest row → check → append row → COMMIT
//                                                                               └─▶ WatchHub.publish
//   get/list ─▶ newest row per key at or below the read revision (tombstones hide the key)
//   compact(rev) ─▶ drop rows superseded at or below rev, and tombstones at or below rev
import { decodeContinue, encodeContinue } from '../continue.ts';
import { alreadyExists, compacted, conflict, futureRevision, notFound, unavailable } from '../errors.ts';
import type { KeyValue, ListOptions, ListResult, Store, Watch, WatchEvent } from '../store.ts';
import { eventOf, keyAfter, keyValueOf, prefixRange } from './events.ts';
import { RevisionLog, type LogRow } from './log.ts';
import { openDatabase } from './schema.ts';
import { WatchHub } from './watchers.ts';
import type { DatabaseSync } from 'node:sqlite';

export function openSqliteStore(path: string): SqliteStore {
  return new SqliteStore(openDatabase(path));
}

export class SqliteStore implements Store {
  private readonly db: DatabaseSync;
  private readonly log: RevisionLog;
  private readonly hub: WatchHub;
  private closed = false;

  constructor(db: DatabaseSync) {
    this.db = db;
    this.log = new RevisionLog(db);
    this.hub = new WatchHub(this.log);
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.assertOpen(key);
    const row = this.log.write(() => {
      const latest = this.log.latest(key);
      if (latest && !latest.deleted) throw alreadyExists(key, keyValueOf(latest));
      return this.log.append({ name: key, created: true, deleted: false, prevRevision: latest?.id ?? 0, value });
    });
    return this.committed({ type: 'put', kv: keyValueOf(row) });
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.assertOpen(key);
    const latest = this.log.latest(key);
    return latest && !latest.deleted ? keyValueOf(latest) : undefined;
  }

  async update(key: string, value: string, ifRevision: number): Promise<KeyValue> {
    this.assertOpen(key);
    let prev: KeyValue | undefined;
    const row = this.log.write(() => {
      const latest = this.liveRow(key, ifRevision);
      prev = keyValueOf(latest);
      const { createRevision, id: prevRevision } = latest;
      return this.log.append({ name: key, created: false, deleted: false, createRevision, prevRevision, value });
    });
    return this.committed({ type: 'put', kv: keyValueOf(row), prev });
  }

  async delete(key: string, ifRevision?: number): Promise<KeyValue> {
    this.assertOpen(key);
    const row = this.log.write(() => {
      const latest = this.liveRow(key, ifRevision);
      const { createRevision, id: prevRevision, value } = latest;
      return this.log.append({ name: key, created: false, deleted: true, createRevision, prevRevision, value });
    });
    return this.committed(eventOf(row));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen(prefix);
    const position = options.continue ? decodeContinue(options.continue) : undefined;
    const revision = position?.revision ?? (options.revision || this.log.currentRevision());
    this.assertReadable(prefix, revision);
    const range = prefixRange(prefix);
    if (position && keyAfter(position.lastKey) > range.start) range.start = keyAfter(position.lastKey);
    const limit = options.limit && options.limit > 0 ? options.limit : undefined;
    const rows = this.log.list(range, revision, limit ? limit + 1 : -1);
    if (!limit || rows.length <= limit) return { items: rows.map(keyValueOf), revision };
    const items = rows.slice(0, limit).map(keyValueOf);
    const lastKey = items[items.length - 1]!.key;
    const remaining = this.log.count({ start: keyAfter(lastKey), end: range.end }, revision);
    return { items, revision, continue: encodeContinue({ revision, lastKey }), remaining };
  }

  watch(prefix: string, fromRevision: number): Watch {
    return this.hub.open(prefix, fromRevision);
  }

  async compact(revision: number): Promise<void> {
    this.assertOpen('');
    const current = this.log.currentRevision();
    if (revision > current) throw futureRevision(revision, current);
    if (revision <= this.log.compactRevision()) return;
    this.log.write(() => this.log.compact(revision));
    this.hub.compacted(revision);
  }

  async currentRevision(): Promise<number> {
    this.assertOpen('');
    return this.log.currentRevision();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.closeAll();
    this.db.close();
  }

  /** The live newest row of `key`, checked against `ifRevision` when given. */
  private liveRow(key: string, ifRevision: number | undefined): LogRow {
    const latest = this.log.latest(key);
    if (!latest || latest.deleted) throw notFound(key);
    if (ifRevision !== undefined && latest.id !== ifRevision) throw conflict(key, ifRevision, keyValueOf(latest));
    return latest;
  }

  /** After COMMIT: watchers hear of the write before the caller does. */
  private committed(event: WatchEvent): KeyValue {
    this.hub.publish(event);
    return event.kv;
  }

  private assertReadable(key: string, revision: number): void {
    const compactRevision = this.log.compactRevision();
    if (revision < compactRevision) throw compacted(key, revision, compactRevision);
    const current = this.log.currentRevision();
    if (revision > current) throw futureRevision(revision, current);
  }

  private assertOpen(key: string): void {
    if (this.closed) throw unavailable(key, 'the store is closed');
  }
}
