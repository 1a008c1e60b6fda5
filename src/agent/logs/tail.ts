// Where the last N lines of a log file begin, found by reading the file backwards in chunks, so a
// `--tail=10` of a gigabyte file reads a few kilobytes (the kubelet's util/tail does the same).
//
// A line here is a logical line: the partial ("P") records of one stream up to its full ("F")
// record. Records of stdout and stderr interleave, so the first record of a wanted line can sit
// before records of older lines of the other stream; the reader starts at the earliest record
// any wanted line needs and drops the `skipLines` older lines that complete on the way.
import { parseRecord, type LogStream } from './cri.ts';
import type { LogSource } from './source.ts';

export interface TailStart {
  /** Byte offset to read from. */
  offset: number;
  /** Lines completing after `offset` that are older than the ones asked for. */
  skipLines: number;
  /** How many of the lines asked for the file holds (fewer: an older file may hold the rest). */
  found: number;
}

type Reader = Pick<LogSource, 'read'>;

const defaultChunkSize = 64 * 1024;

export async function findTailStart(file: Reader, size: number, lines: number, streams: readonly LogStream[], chunkSize = defaultChunkSize): Promise<TailStart> {
  if (lines <= 0) return { offset: size, skipLines: 0, found: 0 };
  let counted = 0;
  let offset = size;
  const seen = new Set<LogStream>();
  const open = new Set<LogStream>(); // streams whose newest counted line may start further back
  const olderEnds: number[] = []; // offsets of full records of lines not asked for
  for await (const record of recordsBackwards(file, size, chunkSize)) {
    const parsed = parseRecord(record.bytes);
    if (!parsed || !streams.includes(parsed.stream)) continue;
    const s = parsed.stream;
    // A partial record that is a stream's newest is an unterminated line of its own.
    const startsLine = !parsed.partial || !seen.has(s);
    seen.add(s);
    if (startsLine && counted < lines) {
      counted++;
      open.add(s);
      offset = record.offset;
    } else if (startsLine) {
      open.delete(s);
      if (!parsed.partial) olderEnds.push(record.offset);
    } else if (open.has(s)) {
      offset = record.offset;
    }
    if (counted === lines && open.size === 0) break;
  }
  return { offset, skipLines: olderEnds.filter((end) => end >= offset).length, found: counted };
}

interface RawRecord {
  offset: number;
  /** The record with its newline (the file's last record may have none). */
  bytes: Buffer;
}

/** The file's records from the last to the first. */
async function* recordsBackwards(file: Reader, size: number, chunkSize: number): AsyncGenerator<RawRecord> {
  let position = size; // file offset of pending[0]
  let pending: Buffer = Buffer.alloc(0); // bytes not yet handed out, ending at a record end
  for (;;) {
    // The last byte of pending is the newline ending its last record; look before it.
    const cut = pending.length >= 2 ? pending.lastIndexOf(0x0a, pending.length - 2) : -1;
    if (cut >= 0) {
      yield { offset: position + cut + 1, bytes: pending.subarray(cut + 1) };
      pending = pending.subarray(0, cut + 1);
      continue;
    }
    if (position === 0) {
      if (pending.length > 0) yield { offset: 0, bytes: pending };
      return;
    }
    const length = Math.min(chunkSize, position);
    const chunk = Buffer.alloc(length);
    await readFully(file, chunk, position - length);
    position -= length;
    pending = Buffer.concat([chunk, pending]);
  }
}

async function readFully(file: Reader, into: Buffer, at: number): Promise<void> {
  let done = 0;
  while (done < into.length) {
    const { bytesRead } = await file.read(into, done, into.length - done, at + done);
    if (bytesRead === 0) throw new Error(`log file shrank while reading it backwards (at byte ${at + done})`);
    done += bytesRead;
  }
}
