// Reads one container's logs as `kubectl logs` shows them, as an async stream of chunks: the
// rotated files still kept (oldest first, .gz ones decompressed), then the live file.
//
//   allLogs ─ tailLines? ─▶ tailStart: backwards through the live file, then older ones
//           ─▶ rotated files from there, each to its end ─▶ the live file ─▶ LogWriter ─▶ yield
//                                                             │ EOF
//     not following ─▶ flush unterminated lines, end
//     following ─▶ next attempt's file (<n+1>.log) exists? ─▶ switch to it, from its start
//                ─▶ the path names a new file (rotated)? ─▶ read the old one to its end, go on in the new
//                ─▶ container not running? ─▶ read once more (what it wrote while exiting), end
//                ─▶ wait: a change in the log directory, the poll period, or the client gone
//
// Following across a restart is beyond the kubelet (it keeps reading the old file until the
// container is gone): the runtime starts each attempt in a new file beside the old one, so a
// newer number in the same directory means the old attempt is over and its file complete.
// Across a rotation the kubelet reopens the path on the rename event; here the old file is also
// read to its end first (the runtime writes no more to it once the new file exists), and a tail
// or a read without follow takes in the rotated files too.
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { DirectoryChanges } from './changes.ts';
import { parseRecord } from './cri.ts';
import type { LogOptions } from './options.ts';
import { allLogs } from './rotated.ts';
import { LogCursor, openLogSource } from './source.ts';
import { findTailStart, type TailStart } from './tail.ts';
import { LogWriter } from './writer.ts';

export interface ContainerLogFile {
  /** The attempt's CRI log file, LOGROOT/<ns>_<pod>_<uid>/<container>/<restartCount>.log. */
  path: string;
  /** Whether the container still runs and may write more; absent means it has exited. */
  isRunning?: () => boolean | Promise<boolean>;
}

export interface ReadControl {
  /** The client went away: stop at the next chance. */
  signal?: AbortSignal;
  /** How often a follower rechecks the container without a file event (kubelet: 1 s). */
  pollIntervalMs?: number;
  chunkSize?: number;
}

const defaultChunkSize = 64 * 1024;

export async function* readContainerLogs(file: ContainerLogFile, options: LogOptions, control: ReadControl = {}): AsyncGenerator<Buffer> {
  const chunkSize = control.chunkSize ?? defaultChunkSize;
  const files = await allLogs(file.path);
  const start = await tailStart(files, options, chunkSize);
  const writer = new LogWriter(options, start.skipLines);
  for (let i = start.index; i < files.length - 1; i++) {
    yield* readRotated(files[i]!, i === start.index ? start.offset : 0, writer, chunkSize);
    if (writer.full || control.signal?.aborted) return;
  }
  yield* readLive(file, options, writer, start.index === files.length - 1 ? start.offset : 0, control);
}

/** Where the last tailLines lines begin: the file (index into files) and the offset in it. */
async function tailStart(files: string[], options: LogOptions, chunkSize: number): Promise<TailStart & { index: number }> {
  if (options.tailLines === undefined) return { index: 0, offset: 0, skipLines: 0, found: 0 };
  let wanted = options.tailLines;
  for (let index = files.length - 1; ; index--) {
    const source = await openLogSource(files[index]!).catch((err: unknown) => {
      if (index === files.length - 1) throw err;
      return undefined; // a rotated file removed meanwhile: the tail starts after it
    });
    if (!source) return { index: index + 1, offset: 0, skipLines: 0, found: 0 };
    try {
      const start = await findTailStart(source, await source.size(), wanted, options.streams, chunkSize);
      if (start.found >= wanted || index === 0) return { index, ...start };
      wanted -= start.found;
    } finally {
      await source.close();
    }
  }
}

/** A rotated file, complete: read to its end (a file removed meanwhile is skipped). */
async function* readRotated(path: string, offset: number, writer: LogWriter, chunkSize: number): AsyncGenerator<Buffer> {
  const cursor = await LogCursor.open(path, chunkSize, offset).catch(() => undefined);
  if (!cursor) return;
  try {
    yield* drain(cursor, writer, Number.POSITIVE_INFINITY);
  } finally {
    await cursor.close();
  }
}

/** Everything up to `end` (or the end of the file), chunk by chunk. */
async function* drain(cursor: LogCursor, writer: LogWriter, end: number): AsyncGenerator<Buffer> {
  for (;;) {
    const out: Buffer[] = [];
    const read = await cursor.readRecords(end, (record) => writer.write(record, out));
    if (out.length > 0) yield Buffer.concat(out);
    if (read === 0 || writer.full) return;
  }
}

async function* readLive(file: ContainerLogFile, options: LogOptions, writer: LogWriter, offset: number, control: ReadControl): AsyncGenerator<Buffer> {
  const chunkSize = control.chunkSize ?? defaultChunkSize;
  let cursor = await LogCursor.open(file.path, chunkSize, offset);
  let changes: DirectoryChanges | undefined;
  try {
    const end = options.follow ? Number.POSITIVE_INFINITY : await cursor.source.size();
    let exited = false;
    for (;;) {
      if (control.signal?.aborted) return;
      const out: Buffer[] = [];
      const read = await cursor.readRecords(end, (record) => writer.write(record, out));
      if (out.length > 0) yield Buffer.concat(out);
      if (writer.full) return;
      if (read > 0) continue;
      if (!options.follow || exited) {
        yield* finish(cursor, writer);
        return;
      }
      if (!changes) {
        // Watch from now on, then read again: a write just before the watch began is not missed.
        changes = new DirectoryChanges(dirname(cursor.path));
        continue;
      }
      const next = nextAttemptPath(cursor.path);
      if (next && (await exists(next))) {
        yield* finish(cursor, writer);
        cursor = await reopen(cursor, next, chunkSize);
        continue;
      }
      if ((await cursor.renamedAway()) && (await exists(cursor.path))) {
        yield* drain(cursor, writer, end);
        cursor = await reopen(cursor, cursor.path, chunkSize);
        continue;
      }
      if (!(await (file.isRunning?.() ?? false))) {
        exited = true;
        continue;
      }
      await changes.next(control.pollIntervalMs ?? 1000, control.signal);
    }
  } finally {
    changes?.close();
    await cursor.close();
  }
}

async function reopen(old: LogCursor, path: string, chunkSize: number): Promise<LogCursor> {
  await old.close();
  return LogCursor.open(path, chunkSize);
}

/** The rest of a file that will not grow: an unterminated last record, unterminated lines. */
function* finish(cursor: LogCursor, writer: LogWriter): Generator<Buffer> {
  const out: Buffer[] = [];
  const last = cursor.takeRemainder();
  const record = last && parseRecord(last);
  if (record) writer.write(record, out);
  writer.flush(out);
  if (out.length > 0) yield Buffer.concat(out);
}

/** "3.log" → ".../4.log"; undefined for files not named by restart count. */
export function nextAttemptPath(path: string): string | undefined {
  const m = /^(\d+)\.log$/.exec(basename(path));
  return m ? join(dirname(path), `${Number(m[1]) + 1}.log`) : undefined;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
