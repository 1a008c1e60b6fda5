// One protobuf message → the JSON value Go's encoding/json gives for the same Kubernetes struct.
import { messages, wellKnownTypes } from './fields.ts';
import type { FieldSpec, Scalar } from './fields.ts';
import { malformed, packedVarints, wireFields, wireType } from './wire.ts';
import { lengthDelimited, scalar } from './scalar.ts';
import type { WireField } from './wire.ts';
import { decodeWellKnown } from './wellknown.ts';
import type { WellKnownType } from './wellknown.ts';

type JsonObject = Record<string, unknown>;

export function decodeMessage(bytes: Buffer, type: string): unknown {
  if (isWellKnown(type)) return decodeWellKnown(bytes, type);
  const table = messages[type];
  if (!table) throw malformed(`no field table for message ${type}`);
  const object: JsonObject = {};
  for (const field of wireFields(bytes)) {
    const spec = table[field.number];
    // Fields newer than the table are skipped, as an older kube-apiserver does.
    if (spec) decodeField(object, field, spec, type);
  }
  return object;
}

function decodeField(object: JsonObject, field: WireField, spec: FieldSpec, type: string): void {
  const [name, kind, messageType] = spec;
  const where = `${type}.${name || messageType}`;
  if (kind.startsWith('[]')) {
    const values = repeatedValues(field, kind.slice(2) as Scalar | 'message', messageType, where);
    object[name] = [...((object[name] as unknown[] | undefined) ?? []), ...values];
  } else if (kind.startsWith('map<')) {
    const [key, value] = mapEntry(lengthDelimited(field, where), kind.slice(4, -1) as Scalar | 'message', messageType, where);
    const map = (object[name] ??= {}) as JsonObject;
    map[key] = value;
  } else if (kind === 'message') {
    const value = decodeMessage(lengthDelimited(field, where), required(messageType, where));
    // A Go struct embedded with `json:",inline"` spreads its fields into the parent object.
    if (name === '') Object.assign(object, value);
    else object[name] = value;
  } else {
    const keepZero = kind.endsWith('?');
    const value = scalar(field, (keepZero ? kind.slice(0, -1) : kind) as Scalar, where);
    if (keepZero || !isZero(value)) object[name] = value;
    else delete object[name];
  }
}

function repeatedValues(field: WireField, element: Scalar | 'message', messageType: string | undefined, where: string): unknown[] {
  if (element === 'message') return [decodeMessage(lengthDelimited(field, where), required(messageType, where))];
  // Numbers and bools may arrive packed into one length-delimited field.
  if (field.type === wireType.lengthDelimited && isVarintScalar(element)) {
    return packedVarints(field.bytes).map((value) => scalar({ number: field.number, type: wireType.varint, value }, element, where));
  }
  return [scalar(field, element, where)];
}

/** A proto map entry is a message with the key in field 1 and the value in field 2. */
function mapEntry(bytes: Buffer, valueKind: Scalar | 'message', messageType: string | undefined, where: string): [string, unknown] {
  let key = '';
  let value: unknown = valueKind === 'message' ? undefined : zeroOf(valueKind);
  for (const field of wireFields(bytes)) {
    if (field.number === 1) key = scalar(field, 'string', `${where} key`) as string;
    else if (field.number !== 2) continue;
    else if (valueKind === 'message') value = decodeMessage(lengthDelimited(field, where), required(messageType, where));
    else value = scalar(field, valueKind, where);
  }
  return [key, value ?? decodeMessage(Buffer.alloc(0), required(messageType, where))];
}

function required(messageType: string | undefined, where: string): string {
  if (!messageType) throw malformed(`${where}: field table names no message type`);
  return messageType;
}

function isWellKnown(type: string): type is WellKnownType {
  return (wellKnownTypes as readonly string[]).includes(type);
}

function isVarintScalar(kind: Scalar): boolean {
  return kind === 'bool' || kind === 'int32' || kind === 'int64';
}

function zeroOf(kind: Scalar): string | number | boolean {
  return kind === 'bool' ? false : kind === 'int32' || kind === 'int64' ? 0 : '';
}

function isZero(value: string | number | boolean): boolean {
  return value === '' || value === 0 || value === false;
}
