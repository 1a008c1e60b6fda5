// Turns CRI records into the bytes a client sees: partial records joined into their line (per
// stream, since stdout and stderr interleave), lines older than `since` left out, the
// timestamp prefix, and the byte limit (the last line is cut to fit, then the reader stops).
import { dateToNanos, epochNanos, formatTimestamp, type LogRecord, type LogStream } from './cri.ts';
import type { LogOptions } from './options.ts';

interface PendingLine {
  /** The first record's timestamp: the line is shown, and filtered, by when it began. */
  timestamp: string;
  parts: Buffer[];
}

export class LogWriter {
  private readonly options: LogOptions;
  private readonly sinceNanos: bigint | undefined;
  private readonly pending = new Map<LogStream, PendingLine>();
  private remaining: number;
  private skip: number;

  constructor(options: LogOptions, skipLines = 0) {
    this.options = options;
    this.sinceNanos = options.since && dateToNanos(options.since);
    this.remaining = options.limitBytes ?? Number.POSITIVE_INFINITY;
    this.skip = skipLines;
  }

  /** The byte limit is reached: nothing more will be written. */
  get full(): boolean {
    return this.remaining <= 0;
  }

  /** Output for one record (often nothing: the middle of a line, a filtered line). */
  write(record: LogRecord, out: Buffer[]): void {
    if (!this.options.streams.includes(record.stream) || this.full) return;
    const line = this.pending.get(record.stream) ?? { timestamp: record.timestamp, parts: [] };
    line.parts.push(record.content);
    if (record.partial) {
      this.pending.set(record.stream, line);
      return;
    }
    this.pending.delete(record.stream);
    this.emit(line, true, out);
  }

  /** Lines left unterminated (the container stopped mid-line), shown as they are. */
  flush(out: Buffer[]): void {
    for (const line of this.pending.values()) this.emit(line, false, out);
    this.pending.clear();
  }

  private emit(line: PendingLine, terminated: boolean, out: Buffer[]): void {
    if (this.skip > 0) {
      this.skip--;
      return;
    }
    if (this.sinceNanos !== undefined && epochNanos(line.timestamp) < this.sinceNanos) return;
    if (this.full) return;
    const pieces = [...line.parts];
    if (this.options.timestamps) pieces.unshift(Buffer.from(`${formatTimestamp(line.timestamp)} `));
    if (terminated) pieces.push(newline);
    let bytes = Buffer.concat(pieces);
    if (bytes.length > this.remaining) bytes = bytes.subarray(0, this.remaining);
    this.remaining -= bytes.length;
    out.push(bytes);
  }
}

const newline = Buffer.from('\n');
