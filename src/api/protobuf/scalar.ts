// Scalar field values as Go's JSON writes them: int64 as a number, bytes as base64.
import type { Scalar } from './fields.ts';
import { malformed, wireType } from './wire.ts';
import type { WireField } from './wire.ts';

export function scalar(field: WireField, kind: Scalar, where: string): string | number | boolean {
  if (kind === 'string') return lengthDelimited(field, where).toString('utf8');
  if (kind === 'bytes') return lengthDelimited(field, where).toString('base64');
  const value = varint(field, where);
  if (kind === 'bool') return value !== 0n;
  if (kind === 'int32') return Number(BigInt.asIntN(32, value));
  return Number(BigInt.asIntN(64, value));
}

export function lengthDelimited(field: WireField, where: string): Buffer {
  if (field.type !== wireType.lengthDelimited) throw malformed(`${where}: expected a length-delimited field, got wire type ${field.type}`);
  return field.bytes;
}

function varint(field: WireField, where: string): bigint {
  if (field.type !== wireType.varint) throw malformed(`${where}: expected a varint field, got wire type ${field.type}`);
  return field.value;
}
