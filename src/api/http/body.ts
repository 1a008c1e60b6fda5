// Request bodies: read with a size limit, then decoded from JSON or YAML into one object.
import type { IncomingMessage } from 'node:http';
import { parseDocument } from 'yaml';
import { errors } from '../errors.ts';
import { goJsonSyntaxError } from './gojson.ts';
import { decodeProtobufObject, protobufMediaType } from '../protobuf/decode.ts';

/** kube-apiserver's limit for a request body (3 MiB). */
const maxBodyBytes = 3 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw errors.tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function mediaType(contentType: string | undefined): string {
  return (contentType ?? 'application/json').split(';')[0].trim().toLowerCase() || 'application/json';
}

/** Decodes a JSON or YAML body; malformed input is a 400 BadRequest as kube-apiserver returns it. */
export function decodeBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === protobufMediaType) return decodeProtobufObject(body).object;
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/apply-patch+yaml') return decodeYaml(text);
  if (type.startsWith('application/') && type.endsWith('json')) return decodeJson(text);
  throw errors.unsupportedMediaType(contentType ?? '');
}

/** A body that is not JSON; the caller words the 400 for what it expected. */
export class SyntaxErrorBody extends Error {
  readonly body: string;
  constructor(message: string, body: string) {
    super(message);
    this.name = 'SyntaxErrorBody';
    this.body = body;
  }
}

function decodeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxErrorBody(goJsonSyntaxError(text), text);
  }
}

function decodeYaml(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length) {
    throw errors.badRequest(`error converting YAML to JSON: yaml: ${doc.errors[0].message}`);
  }
  return doc.toJS();
}
