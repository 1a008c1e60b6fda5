// The swagger document as gnostic's openapi_v2.Document protobuf message, the form kubectl
// 1.27/1.28 ask for (Accept application/com.github.proto-openapi.spec.v2@v1.0+protobuf).
// Only the fields peapod's document uses are written; field numbers follow gnostic's
// openapiv2/OpenAPIv2.proto. Vendor extensions are NamedAny { name, Any { yaml } }, and JSON
// is valid YAML, so their values travel as JSON text.
import type { Schema } from '../schema/schema.ts';
import { methods, type SwaggerDocument, type V2Operation, type V2Parameter } from './v2.ts';

/** A protobuf message under construction: tag/value pairs appended in field order. */
class Message {
  private readonly parts: Buffer[] = [];

  string(field: number, value: string | undefined): this {
    if (value) this.bytes(field, Buffer.from(value, 'utf8'));
    return this;
  }

  strings(field: number, values: readonly string[] | undefined): this {
    for (const v of values ?? []) this.bytes(field, Buffer.from(v, 'utf8'));
    return this;
  }

  bool(field: number, value: boolean | undefined): this {
    if (value) this.parts.push(varint(field << 3), varint(1));
    return this;
  }

  message(field: number, value: Message | undefined): this {
    if (value) this.bytes(field, value.encode());
    return this;
  }

  messages(field: number, values: readonly Message[]): this {
    for (const v of values) this.bytes(field, v.encode());
    return this;
  }

  encode(): Buffer {
    return Buffer.concat(this.parts);
  }

  private bytes(field: number, data: Buffer): void {
    this.parts.push(varint((field << 3) | 2), varint(data.length), data);
  }
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  return Buffer.from(out);
}

export function encodeSwaggerDocument(doc: SwaggerDocument): Buffer {
  const info = new Message().string(1, doc.info.title).string(2, doc.info.version);
  const paths = new Message().messages(2, Object.entries(doc.paths).map(([path, item]) => {
    const value = new Message();
    methods.forEach((m, i) => value.message(methodFields[i]!, item[m] && operation(item[m])));
    value.messages(9, item.parameters.map(parameter));
    return named(path, value);
  }));
  const definitions = new Message().messages(1, Object.entries(doc.definitions).map(([name, s]) => named(name, schema(s))));
  return new Message().string(1, doc.swagger).message(2, info).message(8, paths).message(9, definitions).encode();
}

/** PathItem field numbers of get, put, post, delete, patch (the order of `methods`). */
const methodFields = [2, 3, 4, 5, 8];

function operation(op: V2Operation): Message {
  const responses = new Message().messages(1, Object.entries(op.responses).map(([code, r]) => {
    const response = new Message().string(1, r.description).message(2, r.schema && new Message().message(1, schema(r.schema)));
    return named(code, new Message().message(1, response));
  }));
  return new Message()
    .strings(1, op.tags).string(3, op.description).string(5, op.operationId)
    .strings(6, op.produces).strings(7, op.consumes)
    .messages(8, (op.parameters ?? []).map(parameter))
    .message(9, responses).strings(10, op.schemes)
    .messages(13, extensions(op));
}

/** ParametersItem { Parameter { body_parameter | non_body_parameter { query | path } } }. */
function parameter(p: V2Parameter): Message {
  let param: Message;
  if (p.in === 'body') {
    param = new Message().message(1, new Message().string(1, p.description).string(2, p.name).string(3, p.in)
      .bool(4, p.required).message(5, p.schema && schema(p.schema)));
  } else {
    // QueryParameterSubSchema puts allow_empty_value at 5, so its type and uniqueItems sit one later.
    const query = p.in === 'query';
    const sub = new Message().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name)
      .string(query ? 6 : 5, p.type).bool(query ? 20 : 19, p.uniqueItems);
    param = new Message().message(2, new Message().message(query ? 3 : 4, sub));
  }
  return new Message().message(1, param);
}

function schema(s: Schema): Message {
  const m = new Message()
    .string(1, s.$ref).string(2, s.format).string(4, s.description)
    .strings(19, s.required);
  if (typeof s.additionalProperties === 'object') m.message(21, new Message().message(1, schema(s.additionalProperties)));
  else if (s.additionalProperties === true) m.message(21, new Message().bool(2, true));
  if (s.type) m.message(22, new Message().strings(1, [s.type]));
  if (s.items) m.message(23, new Message().message(1, schema(s.items)));
  m.messages(24, (s.allOf ?? []).map(schema));
  if (s.properties) m.message(25, new Message().messages(1, Object.entries(s.properties).map(([k, v]) => named(k, schema(v)))));
  return m.messages(31, extensions(s));
}

function named(name: string, value: Message): Message {
  return new Message().string(1, name).message(2, value);
}

/** NamedAny entries for the x-… keys of an object, values as JSON (= YAML) text in Any.yaml. */
function extensions(object: object): Message[] {
  return Object.entries(object)
    .filter(([key]) => key.startsWith('x-'))
    .map(([key, value]) => named(key, new Message().string(2, `${JSON.stringify(value)}\n`)));
}
