// A streaming tar reader: ustar, PAX extended headers (path, linkpath, size) and GNU long names.
// Bodies are not buffered: each entry hands out its body as chunks, to be read before the next
// entry is asked for.
import { TarFormatError, type TarEntryType, type TarHeader } from './entry.ts';

export interface TarEntry {
  header: TarHeader;
  body(): AsyncGenerator<Buffer>;
}

const BLOCK = 512;

const typesByFlag: Record<string, TarEntryType> = {
  '0': 'file', '\u0000': 'file', '7': 'file', '1': 'hardlink', '2': 'symlink',
  '3': 'char', '4': 'block', '5': 'directory', '6': 'fifo',
};

export async function* readTar(source: AsyncIterable<Buffer>): AsyncGenerator<TarEntry> {
  const input = new ByteReader(source);
  let overrides: Record<string, string> = {};
  for (;;) {
    const block = await input.read(BLOCK);
    if (block === null || block.every((byte) => byte === 0)) return;
    verifyChecksum(block);
    const flag = String.fromCharCode(block[156]);
    const size = readNumber(block, 124, 12);
    if (flag === 'x' || flag === 'L' || flag === 'K') {
      const data = await input.readPadded(size);
      if (flag === 'x') overrides = { ...overrides, ...parsePax(data) };
      else overrides[flag === 'L' ? 'path' : 'linkpath'] = cString(data, 0, data.length);
      continue;
    }
    if (flag === 'g') { await input.readPadded(size); continue; } // global PAX headers carry nothing we use
    const type = typesByFlag[flag];
    if (type === undefined) throw new TarFormatError(`unsupported entry type ${JSON.stringify(flag)}`);
    const header = decodeHeader(block, type, overrides);
    overrides = {};
    // Whatever part of the body the consumer leaves unread is skipped before the next header.
    let remaining = type === 'file' ? header.size : 0;
    const padding = (BLOCK - (remaining % BLOCK)) % BLOCK;
    yield {
      header,
      body: async function* () {
        for await (const chunk of input.stream(remaining)) {
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    await input.skip(remaining + padding);
  }
}

function decodeHeader(block: Buffer, type: TarEntryType, pax: Record<string, string>): TarHeader {
  const prefix = block.subarray(257, 263).toString('binary') === 'ustar\u0000' ? cString(block, 345, 155) : '';
  const name = cString(block, 0, 100);
  return {
    name: pax.path ?? (prefix === '' ? name : `${prefix}/${name}`),
    type,
    mode: readNumber(block, 100, 8),
    uid: pax.uid !== undefined ? Number(pax.uid) : readNumber(block, 108, 8),
    gid: pax.gid !== undefined ? Number(pax.gid) : readNumber(block, 116, 8),
    size: pax.size !== undefined ? Number(pax.size) : readNumber(block, 124, 12),
    mtime: pax.mtime !== undefined ? Math.floor(Number(pax.mtime)) : readNumber(block, 136, 12),
    linkname: pax.linkpath ?? cString(block, 157, 100),
    devmajor: readNumber(block, 329, 8),
    devminor: readNumber(block, 337, 8),
  };
}

function verifyChecksum(block: Buffer): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  if (sum !== readNumber(block, 148, 8)) throw new TarFormatError('header checksum mismatch');
}

// Numeric fields are octal text, or base-256 when the high bit of the first byte is set.
function readNumber(block: Buffer, offset: number, length: number): number {
  if (block[offset] & 0x80) {
    let value = block[offset] & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + block[offset + i];
    return value;
  }
  const text = cString(block, offset, length).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`bad numeric field ${JSON.stringify(text)}`);
  return parseInt(text, 8);
}

function cString(block: Buffer, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? field.length : end).toString('utf8');
}

function parsePax(data: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.subarray(offset, space).toString('ascii'));
    if (space === -1 || !Number.isInteger(length) || length <= 0) throw new TarFormatError('bad PAX record');
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const equals = record.indexOf('=');
    records[record.slice(0, equals)] = record.slice(equals + 1);
    offset += length;
  }
  return records;
}

// Pulls exact byte counts out of a chunked stream.
class ByteReader {
  private readonly iterator: AsyncIterator<Buffer>;
  private pending: Buffer = Buffer.alloc(0);

  constructor(source: AsyncIterable<Buffer>) {
    this.iterator = source[Symbol.asyncIterator]();
  }

  async read(length: number): Promise<Buffer | null> {
    while (this.pending.length < length) {
      const next = await this.iterator.next();
      if (next.done) {
        if (this.pending.length === 0) return null;
        throw new TarFormatError('unexpected end of archive');
      }
      this.pending = this.pending.length === 0 ? next.value : Buffer.concat([this.pending, next.value]);
    }
    const out = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return out;
  }

  async skip(length: number): Promise<void> {
    if (length > 0 && (await this.read(length)) === null) throw new TarFormatError('unexpected end of archive');
  }

  async readPadded(size: number): Promise<Buffer> {
    const data = await this.read(size + ((BLOCK - (size % BLOCK)) % BLOCK));
    if (data === null) throw new TarFormatError('unexpected end of archive');
    return data.subarray(0, size);
  }

  async *stream(size: number): AsyncGenerator<Buffer> {
    let left = size;
    while (left > 0) {
      if (this.pending.length === 0) {
        const next = await this.iterator.next();
        if (next.done) throw new TarFormatError('unexpected end of archive');
        this.pending = next.value;
      }
      const take = Math.min(left, this.pending.length);
      yield this.pending.subarray(0, take);
      this.pending = this.pending.subarray(take);
      left -= take;
    }
  }
}
