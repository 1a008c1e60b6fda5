// SPDY/3 frames: parsing a byte stream into frames and writing frames (draft 3, §2.2). All
// integers are big-endian.
//
//   control: [1|version 15][type 16][flags 8][length 24][payload]     starts 80 03
//   data:    [0|stream-id 31][flags 8][length 24][payload]
//
// Header blocks stay compressed here; headers.ts owns the per-direction zlib streams.

export const SPDY_VERSION = 3;
export const FLAG_FIN = 0x01;
/** RST_STREAM statuses used here (draft 3, §2.4.2). */
export const RST_PROTOCOL_ERROR = 1;
export const RST_CANCEL = 5;
/** A DATA frame's length is 24 bits. */
export const MAX_DATA_LENGTH = 0xff_ffff;

export type Frame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | { type: 'synStream'; streamId: number; associatedId: number; priority: number; flags: number; headerBlock: Buffer }
  | { type: 'synReply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rstStream'; streamId: number; status: number }
  | { type: 'ping'; id: number }
  | { type: 'goAway'; lastGoodStreamId: number; status: number }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'windowUpdate'; streamId: number; delta: number }
  /** SETTINGS and anything newer: read past, never answered. */
  | { type: 'other'; controlType: number; flags: number; payload: Buffer };

export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

/** Reassembles frames from chunks of any size (a WebSocket tunnel splits them arbitrarily). */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: Frame[] = [];
    let offset = 0;
    while (this.pending.length - offset >= 8) {
      const length = this.pending.readUIntBE(offset + 5, 3);
      if (this.pending.length - offset < 8 + length) break;
      frames.push(parseFrame(this.pending.subarray(offset, offset + 8 + length)));
      offset += 8 + length;
    }
    this.pending = this.pending.subarray(offset);
    return frames;
  }
}

function parseFrame(bytes: Buffer): Frame {
  const flags = bytes[4]!;
  const payload = bytes.subarray(8);
  if ((bytes[0]! & 0x80) === 0) return { type: 'data', streamId: bytes.readUInt32BE(0) & 0x7fff_ffff, flags, data: payload };
  const version = bytes.readUInt16BE(0) & 0x7fff;
  if (version !== SPDY_VERSION) throw new SpdyProtocolError(`unsupported SPDY version ${version}`);
  const controlType = bytes.readUInt16BE(2);
  const id = (at: number) => needs(payload, at + 4, controlType).readUInt32BE(at) & 0x7fff_ffff;
  switch (controlType) {
    case 1:
      return { type: 'synStream', streamId: id(0), associatedId: id(4), priority: needs(payload, 10, 1)[8]! >> 5, flags, headerBlock: payload.subarray(10) };
    case 2:
      return { type: 'synReply', streamId: id(0), flags, headerBlock: payload.subarray(4) };
    case 3:
      return { type: 'rstStream', streamId: id(0), status: needs(payload, 8, 3).readUInt32BE(4) };
    case 6:
      return { type: 'ping', id: needs(payload, 4, 6).readUInt32BE(0) };
    case 7:
      return { type: 'goAway', lastGoodStreamId: id(0), status: needs(payload, 8, 7).readUInt32BE(4) };
    case 8:
      return { type: 'headers', streamId: id(0), flags, headerBlock: payload.subarray(4) };
    case 9:
      return { type: 'windowUpdate', streamId: id(0), delta: needs(payload, 8, 9).readUInt32BE(4) & 0x7fff_ffff };
    default:
      return { type: 'other', controlType, flags, payload };
  }
}

function needs(payload: Buffer, length: number, controlType: number): Buffer {
  if (payload.length < length) throw new SpdyProtocolError(`control frame ${controlType} too short (${payload.length} bytes)`);
  return payload;
}

export function encodeFrame(frame: Frame): Buffer {
  switch (frame.type) {
    case 'data': {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(frame.streamId & 0x7fff_ffff, 0);
      head.writeUInt32BE(((frame.flags & 0xff) << 24 | frame.data.length) >>> 0, 4);
      return Buffer.concat([head, frame.data]);
    }
    case 'synStream':
      return control(1, frame.flags, u32(frame.streamId), u32(frame.associatedId), Buffer.from([frame.priority << 5, 0]), frame.headerBlock);
    case 'synReply':
      return control(2, frame.flags, u32(frame.streamId), frame.headerBlock);
    case 'rstStream':
      return control(3, 0, u32(frame.streamId), u32(frame.status));
    case 'ping':
      return control(6, 0, u32(frame.id));
    case 'goAway':
      return control(7, 0, u32(frame.lastGoodStreamId), u32(frame.status));
    case 'headers':
      return control(8, frame.flags, u32(frame.streamId), frame.headerBlock);
    case 'windowUpdate':
      return control(9, 0, u32(frame.streamId), u32(frame.delta));
    case 'other':
      return control(frame.controlType, frame.flags, frame.payload);
  }
}

function control(controlType: number, flags: number, ...parts: Buffer[]): Buffer {
  const payload = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x8000 | SPDY_VERSION, 0);
  head.writeUInt16BE(controlType, 2);
  head.writeUInt32BE(((flags & 0xff) << 24 | payload.length) >>> 0, 4);
  return Buffer.concat([head, payload]);
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
}
