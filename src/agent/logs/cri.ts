// One record of the CRI log format that conmon writes, one per line of a container's log file:
//
//   2026-11-23T14:00:00.123456789Z stdout F full line
//   2026-11-23T14:00:00.2+00:00 stderr P first part of a long line (continues in the next record)
//
// TIMESTAMP STREAM TAG[:MORE_TAGS] CONTENT. The tag "P" marks a partial record: the line goes on
// in the next record of the same stream; "F" ends it. Records that do not parse are skipped by the
// readers, as the kubelet does.

export type LogStream = 'stdout' | 'stderr';

export interface LogRecord {
  /** The timestamp as written (RFC 3339 with up to nine fraction digits). */
  timestamp: string;
  stream: LogStream;
  partial: boolean;
  /** The text without the record's line end. */
  content: Buffer;
}

const space = 0x20;
const newline = 0x0a;

/** undefined when the line is not a CRI record. `line` may end with its newline. */
export function parseRecord(line: Buffer): LogRecord | undefined {
  const end = line.length > 0 && line[line.length - 1] === newline ? line.length - 1 : line.length;
  const first = line.indexOf(space);
  if (first <= 0 || first >= end) return undefined;
  const second = line.indexOf(space, first + 1);
  if (second < 0 || second >= end) return undefined;
  const stream = line.toString('latin1', first + 1, second);
  if (stream !== 'stdout' && stream !== 'stderr') return undefined;
  let third = line.indexOf(space, second + 1);
  // A record with empty content may end right after its tag.
  if (third < 0 || third > end) third = end;
  const tags = line.toString('latin1', second + 1, third);
  const timestamp = line.toString('latin1', 0, first);
  if (!timestampPattern.test(timestamp)) return undefined;
  return {
    timestamp,
    stream,
    partial: tags.split(':')[0] === 'P',
    content: line.subarray(Math.min(third + 1, end), end),
  };
}

// Go's RFC3339NanoLenient: optional fraction of one to nine digits, "Z" or a ±hh:mm offset.
const timestampPattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Nanoseconds since the epoch; exact, so that sinceTime compares as Go's time.Before does. */
export function epochNanos(timestamp: string): bigint {
  const m = timestampPattern.exec(timestamp);
  if (!m) throw new Error(`not an RFC 3339 timestamp: ${JSON.stringify(timestamp)}`);
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  return BigInt(seconds) * 1_000_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'));
}

/**
 * The kubelet's timestamp output (RFC3339NanoFixed): always nine fraction digits, "Z" for UTC,
 * otherwise the record's own offset.
 */
export function formatTimestamp(timestamp: string): string {
  const m = timestampPattern.exec(timestamp);
  if (!m) return timestamp;
  const zone = m[3] === '+00:00' || m[3] === '-00:00' ? 'Z' : m[3];
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}${zone}`;
}

export function dateToNanos(date: Date): bigint {
  return BigInt(date.getTime()) * 1_000_000n;
}
