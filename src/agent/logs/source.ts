// One log file read by position, plain or gzipped (a rotated log the kubelet compressed: it is
// read whole into memory, as big as one log before rotation), and a forward cursor over its CRI
// records.
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { parseRecord, type LogRecord } from './cri.ts';
import { compressSuffix } from './rotated.ts';

const gunzipAsync = promisify(gunzip);

/** What reading backwards (tail.ts) and forwards needs of a file. */
export interface LogSource {
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  size(): Promise<number>;
  /** The file's inode (0 for a decompressed copy): a log renamed away is told by it. */
  inode(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Opens a log; a rotated file compressed meanwhile (LOG.x gone, LOG.x.gz there) is read from its
 * .gz instead.
 */
export async function openLogSource(path: string): Promise<LogSource> {
  if (path.endsWith(compressSuffix)) return gzipSource(path);
  try {
    return fileSource(await open(path, 'r'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && (await stat(path + compressSuffix).catch(() => undefined))) return gzipSource(path + compressSuffix);
    throw new Error(`cannot open container log ${path}: ${(err as Error).message}`, { cause: err });
  }
}

function fileSource(handle: FileHandle): LogSource {
  return {
    read: (buffer, offset, length, position) => handle.read(buffer, offset, length, position),
    size: async () => (await handle.stat()).size,
    inode: async () => (await handle.stat()).ino,
    close: () => handle.close().catch(() => undefined),
  };
}

async function gzipSource(path: string): Promise<LogSource> {
  const data = await gunzipAsync(await readFile(path));
  return {
    read: async (buffer, offset, length, position) => {
      const bytesRead = Math.max(0, Math.min(length, data.length - position));
      data.copy(buffer, offset, position, position + bytesRead);
      return { bytesRead };
    },
    size: async () => data.length,
    inode: async () => 0,
    close: async () => undefined,
  };
}

/** A forward read position in one file; bytes after the last newline wait for the rest of their line. */
export class LogCursor {
  readonly path: string;
  readonly source: LogSource;
  position = 0;
  private remainder: Buffer = Buffer.alloc(0);
  private readonly buffer: Buffer;

  private constructor(path: string, source: LogSource, chunkSize: number) {
    this.path = path;
    this.source = source;
    this.buffer = Buffer.alloc(chunkSize);
  }

  /** A cursor over `path`; over the file `from` instead while `path` is not there (a rotation's rename, before the reopen). */
  static async open(path: string, chunkSize: number, position = 0, from = path): Promise<LogCursor> {
    const cursor = new LogCursor(path, await openLogSource(from), chunkSize);
    cursor.position = position;
    return cursor;
  }

  /** Reads one chunk (not past `end`), hands over its complete records; the bytes read. */
  async readRecords(end: number, each: (record: LogRecord) => void): Promise<number> {
    const want = Math.min(this.buffer.length, end - this.position);
    if (want <= 0) return 0;
    const { bytesRead } = await this.source.read(this.buffer, 0, want, this.position);
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

  /** The path now names another file (the log was rotated and reopened), or none yet. */
  async renamedAway(): Promise<boolean> {
    const now = await stat(this.path).catch(() => undefined);
    return now === undefined || now.ino !== (await this.source.inode());
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
