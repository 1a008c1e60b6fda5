// Reads one container's logs as `kubectl logs` shows them, as an async stream of chunks: the
// rotated files still kept (oldest first, .gz ones decompressed), then the live file.
//
//   allLogs ─ tailLines? ─▶ tailStart: backwards through the live file, then older ones
//           ─▶ rotated files from there, each to its end ─▶ the live file ─▶ LogWriter ─▶ yield
//                                                             │ EOF
//     not following ─▶ flush unterminated lines, end
//     following ─▶ next attempt's file (<n+1>.log) exists? ─▶ switch to it, from its start
//                ─▶ the path names a new file (rotated)? ─▶ read the old one to its end, go on in the new
//                ─▶ container not running, nor to be restarted? ─▶ read once more (what it wrote while exiting), end
//                ─▶ wait: a change in the log directory, the poll period, or the client gone
//
// Following across a restart is beyond the kubelet (it ends the follow when the container
// exits): while the restart policy will run the container again, the follower waits through the
// back-off; the runtime starts each attempt in a new file beside the old one, so a newer number
// in the same directory means the old attempt is over and its file complete.
// Across a rotation the kubelet reopens the path on the rename event; here the old file is also
// read to its end first (the runtime writes no more to it once the new file exists), and a tail
// or a read without follow takes in the rotated files too.
import { basename, dirname, join } from 'node:path';
import { pathExists } from '../../util/fs.ts';
import { DirectoryChanges } from './changes.ts';
import { parseRecord } from './cri.ts';
import type { LogOptions } from './options.ts';
import { allLogs, compressSuffix } from './rotated.ts';
import { LogCursor, openLogSource } from './source.ts';
import { findTailStart, type TailStart } from './tail.ts';
import { LogWriter } from './writer.ts';

export interface ContainerLogFile {
  /** The attempt's CRI log file, LOGROOT/<ns>_<pod>_<uid>/<container>/<restartCount>.log. */
  path: string;
  /** Whether the container still runs and may write more; absent means it has exited. */
  isRunning?: () => boolean | Promise<boolean>;
  /** After an exit, whether the container is to run again (its restart policy): a follower then waits for the next attempt. */
  mayRestart?: () => boolean | Promise<boolean>;
}

/** What a follower asks about the container behind a log. */
export type ContainerWatch = Pick<ContainerLogFile, 'isRunning' | 'mayRestart'>;

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
  // The live file first: its size now bounds a read that does not follow, tail included.
  const { live, rotated } = await openLive(file.path, chunkSize);
  try {
    const liveSize = await live.source.size();
    const start = await tailStart(rotated, live, liveSize, options, chunkSize);
    const writer = new LogWriter(options, start.skipLines);
    for (let i = start.index; i < rotated.length; i++) {
      yield* readRotated(rotated[i]!, i === start.index ? start.offset : 0, writer, chunkSize);
      if (writer.full || control.signal?.aborted) return;
    }
    live.position = start.index === rotated.length ? start.offset : 0;
    yield* readLive(file, live, options.follow ? Number.POSITIVE_INFINITY : liveSize, options, writer, control);
  } finally {
    await live.close();
  }
}

/**
 * The live file and the rotated ones before it. Caught between a rotation's rename and the
 * runtime's reopen, the live file is the newest rotated one (what it was a moment ago); a
 * follower moves on once the new file is there.
 */
async function openLive(path: string, chunkSize: number): Promise<{ live: LogCursor; rotated: string[] }> {
  const listed = (await allLogs(path)).slice(0, -1);
  try {
    return { live: await LogCursor.open(path, chunkSize), rotated: listed };
  } catch (err) {
    // Listed again after the miss: the rename that made it has happened by then (it is atomic).
    const rotated = (await allLogs(path)).slice(0, -1);
    const newest = rotated.at(-1);
    if (newest === undefined || newest.endsWith(compressSuffix) || (await pathExists(path))) throw err;
    return { live: await LogCursor.open(path, chunkSize, 0, newest), rotated: rotated.slice(0, -1) };
  }
}

/** Where the last tailLines lines begin: the file (index into rotated, or its length for the live one) and the offset in it. */
async function tailStart(rotated: string[], live: LogCursor, liveSize: number, options: LogOptions, chunkSize: number): Promise<TailStart & { index: number }> {
  if (options.tailLines === undefined) return { index: 0, offset: 0, skipLines: 0, found: 0 };
  let wanted = options.tailLines;
  const inLive = await findTailStart(live.source, liveSize, wanted, options.streams, chunkSize);
  if (inLive.found >= wanted || rotated.length === 0) return { index: rotated.length, ...inLive };
  wanted -= inLive.found;
  for (let index = rotated.length - 1; index >= 0; index--) {
    const source = await openLogSource(rotated[index]!).catch(() => undefined);
    if (!source) break; // removed meanwhile: the tail starts after it
    try {
      const start = await findTailStart(source, await source.size(), wanted, options.streams, chunkSize);
      if (start.found >= wanted || index === 0) return { index, ...start };
      wanted -= start.found;
    } finally {
      await source.close();
    }
  }
  return { index: 0, offset: 0, skipLines: 0, found: 0 };
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

/** The live file from the cursor on, up to `end` — and, following, across restarts and rotations. */
async function* readLive(file: ContainerLogFile, first: LogCursor, end: number, options: LogOptions, writer: LogWriter, control: ReadControl): AsyncGenerator<Buffer> {
  const chunkSize = control.chunkSize ?? defaultChunkSize;
  let cursor = first;
  let changes: DirectoryChanges | undefined;
  try {
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
      if (next && (await pathExists(next))) {
        yield* finish(cursor, writer);
        cursor = await reopen(cursor, next, chunkSize);
        continue;
      }
      if ((await cursor.renamedAway()) && (await pathExists(cursor.path))) {
        yield* drain(cursor, writer, end);
        cursor = await reopen(cursor, cursor.path, chunkSize);
        continue;
      }
      if (!(await (file.isRunning?.() ?? false)) && !(await (file.mayRestart?.() ?? false))) {
        exited = true;
        continue;
      }
      await changes.next(control.pollIntervalMs ?? 1000, control.signal);
    }
  } finally {
    changes?.close();
    if (cursor !== first) await cursor.close(); // the caller closes the first
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
