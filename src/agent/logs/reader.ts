// Reads one container's CRI log file as `kubectl logs` shows it, as an async stream of chunks.
//
//   open ─ tailLines? ─▶ findTailStart (backwards) ─▶ read forward in chunks ─▶ LogWriter ─▶ yield
//                                                        │ EOF
//            not following ─▶ flush unterminated lines, end
//            following ─▶ next attempt's file (<n+1>.log) exists? ─▶ switch to it, from its start
//                       ─▶ container not running? ─▶ read once more (what it wrote while exiting), end
//                       ─▶ wait: a change in the log directory, the poll period, or the client gone
//
// Following across a restart is beyond the kubelet (it keeps reading the old file until the
// container is gone): the runtime starts each attempt in a new file beside the old one, so a
// newer number in the same directory means the old attempt is over and its file complete.
import { watch, type FSWatcher } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseRecord, type LogRecord } from './cri.ts';
import type { LogOptions } from './options.ts';
import { findTailStart } from './tail.ts';
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
  let cursor = await LogCursor.open(file.path, chunkSize);
  let changes: DirectoryChanges | undefined;
  try {
    const size = await cursor.size();
    const start = options.tailLines === undefined ? { offset: 0, skipLines: 0 }
      : await findTailStart(cursor.handle, size, options.tailLines, options.streams, chunkSize);
    cursor.position = start.offset;
    const writer = new LogWriter(options, start.skipLines);
    const end = options.follow ? Number.POSITIVE_INFINITY : size;
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
        await cursor.close();
        cursor = await LogCursor.open(next, chunkSize);
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
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** A forward read position in one file; bytes after the last newline wait for the rest of their line. */
class LogCursor {
  readonly path: string;
  readonly handle: FileHandle;
  position = 0;
  private remainder: Buffer = Buffer.alloc(0);
  private readonly buffer: Buffer;

  private constructor(path: string, handle: FileHandle, chunkSize: number) {
    this.path = path;
    this.handle = handle;
    this.buffer = Buffer.alloc(chunkSize);
  }

  static async open(path: string, chunkSize: number): Promise<LogCursor> {
    try {
      return new LogCursor(path, await open(path, 'r'), chunkSize);
    } catch (err) {
      throw new Error(`cannot open container log ${path}: ${(err as Error).message}`, { cause: err });
    }
  }

  async size(): Promise<number> {
    return (await this.handle.stat()).size;
  }

  /** Reads one chunk (not past `end`), hands over its complete records; the bytes read. */
  async readRecords(end: number, each: (record: LogRecord) => void): Promise<number> {
    const want = Math.min(this.buffer.length, end - this.position);
    if (want <= 0) return 0;
    const { bytesRead } = await this.handle.read(this.buffer, 0, want, this.position);
    if (bytesRead === 0) return 0;
    this.position += bytesRead;
    const data = this.remainder.length > 0 ? Buffer.concat([this.remainder, this.buffer.subarray(0, bytesRead)]) : this.buffer.subarray(0, bytesRead);
    let from = 0;
    for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, from)) {
      const record = parseRecord(data.subarray(from, nl + 1));
      if (record) each(record);
      from = nl + 1;
    }
    // Copied: the read buffer is reused for the next chunk.
    this.remainder = Buffer.from(data.subarray(from));
    return bytesRead;
  }

  takeRemainder(): Buffer | undefined {
    const rest = this.remainder;
    this.remainder = Buffer.alloc(0);
    return rest.length > 0 ? rest : undefined;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => {});
  }
}

/** Wakes a follower when anything in the log directory changes (inotify), or after a period. */
class DirectoryChanges {
  private changed = false;
  private wake: (() => void) | undefined;
  private readonly watcher: FSWatcher | undefined;

  constructor(dir: string) {
    try {
      this.watcher = watch(dir, () => this.notify());
      this.watcher.on('error', () => this.notify()); // the period keeps the follower going
    } catch {
      this.watcher = undefined; // unwatchable: the period alone drives the follower
    }
  }

  private notify(): void {
    this.changed = true;
    this.wake?.();
  }

  next(periodMs: number, signal?: AbortSignal): Promise<void> {
    if (this.changed || signal?.aborted) {
      this.changed = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = undefined;
        this.changed = false;
        resolve();
      };
      const timer = setTimeout(done, periodMs);
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
  }

  close(): void {
    this.watcher?.close();
  }
}
