// Messages whose JSON form is not an object of their fields: times, quantities, int-or-strings,
// managed fields and embedded raw JSON.
import type { wellKnownTypes } from './fields.ts';
import { malformed, wireFields } from './wire.ts';
import type { WireField } from './wire.ts';
import { scalar } from './scalar.ts';

export type WellKnownType = (typeof wellKnownTypes)[number];

export function decodeWellKnown(bytes: Buffer, type: WellKnownType): unknown {
  const fields = lastByNumber(bytes);
  const read = (number: number, kind: 'string' | 'int32' | 'int64'): string | number => {
    const field = fields.get(number);
    return field ? (scalar(field, kind, type) as string | number) : kind === 'string' ? '' : 0;
  };
  const raw = (): Buffer => {
    const field = fields.get(1);
    return field?.type === 2 ? field.bytes : Buffer.alloc(0);
  };
  switch (type) {
    case 'meta.v1.Time':
      return formatTime(read(1, 'int64') as number, read(2, 'int32') as number, false);
    case 'meta.v1.MicroTime':
      return formatTime(read(1, 'int64') as number, read(2, 'int32') as number, true);
    case 'resource.Quantity':
      return read(1, 'string');
    case 'intstr.IntOrString':
      // type 1 is intstr.String, 0 intstr.Int.
      return read(1, 'int64') === 1 ? read(3, 'string') : read(2, 'int32');
    case 'meta.v1.FieldsV1':
    case 'runtime.RawExtension':
      return parseJson(raw(), type);
  }
}

/** Seconds and nanos since the epoch as Go's RFC 3339 text; the zero time is JSON null. */
function formatTime(seconds: number, nanos: number, micro: boolean): string | null {
  if (seconds === 0 && nanos === 0) return null;
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw malformed(`time ${seconds}s is out of range`);
  const whole = date.toISOString().slice(0, 19);
  return micro ? `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${whole}Z`;
}

function parseJson(bytes: Buffer, type: string): unknown {
  if (bytes.length === 0) return null;
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw malformed(`${type} does not hold JSON: ${(err as Error).message}`);
  }
}

function lastByNumber(bytes: Buffer): Map<number, WireField> {
  const fields = new Map<number, WireField>();
  for (const field of wireFields(bytes)) fields.set(field.number, field);
  return fields;
}
