// Log rows as the contract's KeyValues and watch events. A tombstone row carries the deleted
// value, so a delete event's `prev` never needs an older row (which compaction may have removed).
import type { KeyValue, WatchEvent } from '../store.ts';
import type { KeyRange, LogRow, ReplayRow } from './log.ts';

export function keyValueOf(row: LogRow): KeyValue {
  return { key: row.name, value: row.value, createRevision: row.createRevision, modRevision: row.id };
}

/** The event a row records; `prev` is the superseded row's value (for updates). */
export function eventOf(row: ReplayRow): WatchEvent {
  const kv = keyValueOf(row);
  if (row.deleted) {
    return { type: 'delete', kv, prev: { ...kv, modRevision: row.prevRevision } };
  }
  if (row.created || !row.prev) return { type: 'put', kv };
  const prev = { key: row.name, value: row.prev.value, createRevision: row.prev.createRevision, modRevision: row.prevRevision };
  return { type: 'put', kv, prev };
}

// The highest code point; no well-formed key sorts at or above it.
const endOfKeys = '\u{10FFFF}';

/**
 * The keys with `prefix`: [prefix, prefix with its last character incremented). Exact for the
 * ASCII keys Kubernetes uses (/registry/<resource>/<namespace>/<name>).
 */
export function prefixRange(prefix: string): KeyRange {
  if (prefix === '') return { start: '', end: endOfKeys };
  const last = prefix.charCodeAt(prefix.length - 1);
  return { start: prefix, end: prefix.slice(0, -1) + String.fromCharCode(last + 1) };
}

/** The smallest key greater than `key` (keys never contain NUL). */
export function keyAfter(key: string): string {
  return `${key}\u0000`;
}
