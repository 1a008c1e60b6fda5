// The protobuf wire format, read-only: a message is a sequence of (field number, wire type, value).
import { errors } from '../errors.ts';

export const wireType = { varint: 0, fixed64: 1, lengthDelimited: 2, fixed32: 5 } as const;

/** One field occurrence: a varint value or the bytes of a length-delimited value. */
export type WireField =
  | { number: number; type: typeof wireType.varint; value: bigint }
  | { number: number; type: typeof wireType.lengthDelimited; bytes: Buffer };

/** Reads varints from a buffer; every overrun is a 400 because the body came from a client. */
export class WireReader {
  readonly buf: Buffer;
  pos = 0;

  constructor(buf: Buffer) {
    this.buf = buf;
  }

  done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw malformed('truncated varint');
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asUintN(64, result);
    }
    throw malformed('varint longer than 10 bytes');
  }

  take(length: number): Buffer {
    if (length > this.buf.length - this.pos) throw malformed(`length ${length} runs past the end of the message`);
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }
}

/** The fields of one message in wire order; fixed32/fixed64 fields are skipped (Kubernetes uses none). */
export function* wireFields(buf: Buffer): Generator<WireField> {
  const reader = new WireReader(buf);
  while (!reader.done()) {
    const key = reader.varint();
    const number = Number(key >> 3n);
    const type = Number(key & 7n);
    if (number === 0) throw malformed('field number 0');
    if (type === wireType.varint) yield { number, type, value: reader.varint() };
    else if (type === wireType.lengthDelimited) yield { number, type, bytes: reader.take(Number(reader.varint())) };
    else if (type === wireType.fixed64) reader.take(8);
    else if (type === wireType.fixed32) reader.take(4);
    else throw malformed(`unsupported wire type ${type} for field ${number}`);
  }
}

/** The values of a packed repeated varint field. */
export function packedVarints(bytes: Buffer): bigint[] {
  const reader = new WireReader(bytes);
  const values: bigint[] = [];
  while (!reader.done()) values.push(reader.varint());
  return values;
}

export function malformed(detail: string): Error {
  return errors.badRequest(`unable to decode protobuf body: ${detail}`);
}
