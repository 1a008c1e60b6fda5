// Discovery endpoints. /api and /apis are content-negotiated (reference: kubectl-wire §3.2):
//
//   Accept lists v=v2        → APIGroupDiscoveryList apidiscovery.k8s.io/v2      (kubectl ≥ 1.30)
//   else lists v=v2beta1     → the same document as v2beta1                      (kubectl 1.27–1.29)
//   else                     → legacy APIVersions / APIGroupList, then per-GV lists
//
// client-go picks its parser from the response Content-Type alone, so answering v2 to a client
// that only knows v2beta1 would make every resource type "unknown" to it.
// /api/<v>, /apis/<g> and /apis/<g>/<v> are plain JSON. Deeper paths are not discovery: undefined.
import { createHash } from 'node:crypto';
import { parseAccept } from '../http/negotiate.ts';
import type { SimpleRequest, SimpleResponse } from '../http/response.ts';
import { aggregatedDiscovery, type AggregatedVersion } from './aggregated.ts';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from './legacy.ts';
import { headerValue, jsonResponse, notFound } from './responses.ts';

export type DiscoveryFormat = AggregatedVersion | 'legacy';

export function serveDiscovery(req: SimpleRequest): SimpleResponse | undefined {
  const [root, ...rest] = req.path.slice(1).split('/');
  if (root !== 'api' && root !== 'apis') return undefined;
  if (rest.length === 0) return serveRoot(root, req);
  if (rest.some((segment) => segment === '')) return undefined;
  if (root === 'api' && rest.length === 1) return found(apiResourceList('', rest[0]));
  if (root === 'apis' && rest.length === 1) return found(apiGroup(rest[0]));
  if (root === 'apis' && rest.length === 2) return found(apiResourceList(rest[0], rest[1]));
  return undefined;
}

export function discoveryFormat(accept: string | undefined): DiscoveryFormat {
  const aggregated = parseAccept(accept).filter((range) =>
    range.type === 'application/json' && range.params.g === 'apidiscovery.k8s.io' && range.params.as === 'APIGroupDiscoveryList');
  if (aggregated.some((range) => range.params.v === 'v2')) return 'v2';
  if (aggregated.some((range) => range.params.v === 'v2beta1')) return 'v2beta1';
  return 'legacy';
}

function serveRoot(root: 'api' | 'apis', req: SimpleRequest): SimpleResponse {
  const format = discoveryFormat(headerValue(req.headers.accept));
  if (format === 'legacy') {
    const body = root === 'api' ? apiVersions(headerValue(req.headers.host)) : apiGroupList();
    return jsonResponse(200, body, { Vary: 'Accept' });
  }
  const doc = aggregatedDocument(root, format);
  const headers = {
    'Content-Type': `application/json;g=apidiscovery.k8s.io;v=${format};as=APIGroupDiscoveryList`,
    'Cache-Control': 'no-cache, private',
    Vary: 'Accept',
    ETag: doc.etag,
  };
  if (headerValue(req.headers['if-none-match']) === doc.etag) return { status: 304, headers, body: '' };
  return { status: 200, headers, body: doc.body };
}

// The catalog is fixed for the life of the process, so each document is rendered once.
const rendered = new Map<string, { body: string; etag: string }>();

function aggregatedDocument(root: 'api' | 'apis', format: AggregatedVersion): { body: string; etag: string } {
  const key = `${root}:${format}`;
  let doc = rendered.get(key);
  if (!doc) {
    const body = JSON.stringify(aggregatedDiscovery(root, format));
    doc = { body, etag: `"${createHash('sha256').update(body).digest('hex')}"` };
    rendered.set(key, doc);
  }
  return doc;
}

function found(body: object | undefined): SimpleResponse {
  return body ? jsonResponse(200, body) : notFound();
}
