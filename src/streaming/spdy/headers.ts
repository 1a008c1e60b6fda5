// SPDY/3 header blocks (draft 3, §2.6.10): `u32 count` then per header `u32 length, name,
// u32 length, value` (several values joined by NUL), names lower-case. Each direction of a
// connection compresses all of its blocks with one zlib stream primed with the SPDY dictionary,
// and every block ends at a sync-flush point, where the peer's inflater can release it whole.
//
//   HeaderCompressor    writes stored (uncompressed) deflate blocks: synchronous, and Go's
//                       inflater takes them as any other. Block = 00 LEN ~LEN bytes, then the
//                       empty stored block 00 00 00 FF FF that marks the flush.
//   HeaderDecompressor  one zlib Inflate for the connection; blocks go in one at a time.
import { constants, createInflate, type Inflate } from 'node:zlib';
import { headerDictionary } from './dictionary.ts';
import { SpdyProtocolError } from './frames.ts';

export type Headers = Record<string, string>;

/** The zlib header of the first block: deflate, 32 KiB window, preset dictionary, its Adler-32. */
const zlibHeader = Buffer.from([0x78, 0x20, 0xe3, 0xc6, 0xa7, 0xc2]);
const syncFlushMarker = Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]);
const maxStoredBlock = 0xffff;

export function encodeHeaderBlock(headers: Headers): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(value, 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

export function decodeHeaderBlock(block: Buffer): Headers {
  const headers: Headers = {};
  let offset = 0;
  const take = (): string => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('truncated header block');
    const length = block.readUInt32BE(offset);
    if (offset + 4 + length > block.length) throw new SpdyProtocolError('truncated header block');
    const text = block.toString('utf8', offset + 4, offset + 4 + length);
    offset += 4 + length;
    return text;
  };
  if (block.length < 4) throw new SpdyProtocolError('truncated header block');
  const count = block.readUInt32BE(0);
  offset = 4;
  for (let i = 0; i < count; i++) {
    const name = take();
    headers[name] = take();
  }
  return headers;
}

export class HeaderCompressor {
  private started = false;

  compress(headers: Headers): Buffer {
    const raw = encodeHeaderBlock(headers);
    const parts: Buffer[] = [];
    if (!this.started) {
      parts.push(zlibHeader);
      this.started = true;
    }
    for (let offset = 0; offset < raw.length; offset += maxStoredBlock) {
      const piece = raw.subarray(offset, offset + maxStoredBlock);
      const head = Buffer.alloc(5);
      head.writeUInt16LE(piece.length, 1);
      head.writeUInt16LE(~piece.length & 0xffff, 3);
      parts.push(head, piece);
    }
    parts.push(syncFlushMarker);
    return Buffer.concat(parts);
  }
}

export class HeaderDecompressor {
  private readonly inflate: Inflate = createInflate({ dictionary: headerDictionary });
  private failure: Error | undefined;

  constructor() {
    this.inflate.on('error', (err) => (this.failure = err));
  }

  /** One compressed block as it came in a frame; blocks must be given in arrival order. */
  async decompress(compressed: Buffer): Promise<Headers> {
    this.check();
    await new Promise<void>((resolve) => {
      // A corrupt block ends the inflater with an error instead of the flush.
      this.inflate.once('error', () => resolve());
      this.inflate.write(compressed);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => resolve());
    });
    this.inflate.removeAllListeners('error');
    this.inflate.on('error', (err) => (this.failure = err));
    this.check();
    const out = this.inflate.read() as Buffer | null;
    return decodeHeaderBlock(out ?? Buffer.alloc(0));
  }

  private check(): void {
    if (this.failure) throw new SpdyProtocolError(`header decompression: ${this.failure.message}`);
  }

  close(): void {
    this.inflate.destroy();
  }
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value, 0);
  return b;
}
