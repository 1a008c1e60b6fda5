// Serves /openapi/v3 (index), /openapi/v3/<group-version>, /openapi/v2 (JSON or protobuf) and
// the legacy /swagger-2.0.0.pb-v1. Documents are built once, on first request, and cached with
// their hashes; clients cache by URL, so a hash in the query makes the response immutable.
import { createHash } from 'node:crypto';
import type { SimpleRequest, SimpleResponse } from '../http/response.ts';
import { groupVersionDocument, groupVersionKeys } from './v3.ts';
import { swaggerDocument } from './v2.ts';
import { encodeSwaggerDocument } from './protobuf.ts';

const protobufType = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';
/** What kube-apiserver labels the protobuf body with: Go's mime parser rejects the "@" above. */
const protobufContentType = 'application/octet-stream';
/** The spelling older clients used for the same protobuf type. */
const protobufTypeLegacy = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Rendered {
  body: string | Buffer;
  hash: string;
}

const v3Cache = new Map<string, Rendered>();
let v2Json: Rendered | undefined;
let v2Protobuf: Rendered | undefined;

export function serveOpenAPI(req: SimpleRequest): SimpleResponse | undefined {
  const path = req.path.replace(/\/+$/, '');
  if (path === '/openapi/v3') return json(200, JSON.stringify(v3Index()), { 'cache-control': 'no-cache, private' });
  if (path.startsWith('/openapi/v3/')) return serveGroupVersion(path.slice('/openapi/v3/'.length), req);
  if (path === '/openapi/v2') return serveV2(req);
  if (path === '/swagger-2.0.0.pb-v1') return withCaching(req, v2ProtobufDocument(), protobufContentType);
  return undefined;
}

function v3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const key of groupVersionKeys()) {
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${v3Rendered(key)!.hash}` };
  }
  return { paths };
}

function v3Rendered(key: string): Rendered | undefined {
  let rendered = v3Cache.get(key);
  if (!rendered) {
    const doc = groupVersionDocument(key);
    if (!doc) return undefined;
    rendered = render(JSON.stringify(doc));
    v3Cache.set(key, rendered);
  }
  return rendered;
}

function serveGroupVersion(key: string, req: SimpleRequest): SimpleResponse {
  const rendered = v3Rendered(key);
  if (!rendered) return json(404, '404 page not found\n', { 'content-type': 'text/plain; charset=utf-8' });
  const hash = req.query.get('hash');
  // A stale hash is redirected to the current document, as kube-apiserver does.
  if (hash && hash !== rendered.hash) {
    return { status: 301, headers: { location: `/openapi/v3/${key}?hash=${rendered.hash}`, 'cache-control': 'no-cache, private' }, body: '' };
  }
  return withCaching(req, rendered, 'application/json', hash ? 'public, immutable' : 'no-cache, private');
}

function serveV2(req: SimpleRequest): SimpleResponse {
  const wanted = negotiateV2(headerValue(req.headers.accept));
  if (!wanted) {
    return json(406, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
      message: `the server was unable to respond with a content type that the client supports`, reason: 'NotAcceptable', code: 406 }));
  }
  return wanted === 'protobuf' ? withCaching(req, v2ProtobufDocument(), protobufContentType) : withCaching(req, v2JsonDocument(), 'application/json');
}

/** The first acceptable type in the client's order; a missing Accept means JSON. */
function negotiateV2(accept: string | undefined): 'json' | 'protobuf' | undefined {
  if (!accept) return 'json';
  for (const clause of accept.split(',')) {
    const type = clause.split(';')[0]!.trim().toLowerCase();
    if (type === protobufType || type === protobufTypeLegacy) return 'protobuf';
    if (type === 'application/json' || type === 'application/*' || type === '*/*') return 'json';
  }
  return undefined;
}

function v2JsonDocument(): Rendered {
  v2Json ??= render(JSON.stringify(swaggerDocument()));
  return v2Json;
}

function v2ProtobufDocument(): Rendered {
  v2Protobuf ??= render(encodeSwaggerDocument(swaggerDocument()));
  return v2Protobuf;
}

function render(body: string | Buffer): Rendered {
  return { body, hash: createHash('sha512').update(body).digest('hex').toUpperCase() };
}

function withCaching(req: SimpleRequest, rendered: Rendered, contentType: string, cacheControl = 'no-cache, private'): SimpleResponse {
  const etag = `"${rendered.hash}"`;
  const headers = { etag, 'cache-control': cacheControl, vary: 'Accept' };
  if (headerValue(req.headers['if-none-match']) === etag) return { status: 304, headers, body: '' };
  return { status: 200, headers: { ...headers, 'content-type': contentType }, body: rendered.body };
}

function json(status: number, body: string, headers: Record<string, string> = {}): SimpleResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(',') : value;
}
