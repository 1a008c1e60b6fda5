// Routes an authenticated request: health, version, discovery and OpenAPI first, then resources
// by verb and subresource. Everything thrown below becomes a Status at this one boundary.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errors } from './errors.ts';
import { parseResourcePath, type ResourceRequest } from './http/requestinfo.ts';
import { sendError } from './http/respond.ts';
import type { SimpleRequest, SimpleResponse } from './http/response.ts';
import type { RequestContext, ServerParts } from './handlers/context.ts';
import { get } from './handlers/get.ts';
import { list } from './handlers/list.ts';
import { watch } from './handlers/watch.ts';
import { create } from './handlers/create.ts';
import { update } from './handlers/update.ts';
import { patch } from './handlers/patch.ts';
import { deleteCollection, deleteOne } from './handlers/delete.ts';
import { bind } from './handlers/binding.ts';
import { scale } from './handlers/scale.ts';
import { podLog } from './handlers/log.ts';
import type { KubeletClientConfig } from './handlers/kubelet.ts';
import { findResource } from './registry/catalog.ts';
import { podStream, streamSubresources } from './handlers/stream.ts';
import { sendUpgradeError } from './proxy/upgrade.ts';
import { toApiError } from './errors.ts';

export type SimpleHandler = (req: SimpleRequest) => SimpleResponse | undefined;

export interface RouterParts extends ServerParts {
  /** Whole-body handlers tried in order (health, version, discovery, OpenAPI). */
  simple: SimpleHandler[];
  /** The client certificate for node agents (pods/log and the other streaming subresources). */
  kubelet: KubeletClientConfig;
}

type Handler = (ctx: RequestContext) => Promise<void>;

const mainVerbs: Record<ResourceRequest['verb'], Handler> = {
  get,
  list,
  watch,
  create,
  update,
  patch,
  delete: deleteOne,
  deletecollection: deleteCollection,
};

export async function route(parts: RouterParts, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'https://peapod');
    const simple: SimpleRequest = { path: url.pathname, query: url.searchParams, headers: req.headers };
    for (const handler of parts.simple) {
      const answer = handler(simple);
      if (answer) {
        res.writeHead(answer.status, answer.headers);
        res.end(req.method === 'HEAD' ? undefined : answer.body);
        return;
      }
    }
    const request = parseResourcePath(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!request) throw errors.notFoundPath();
    await serveResource(parts, req, res, request, url.searchParams);
  } catch (err) {
    sendError(res, err);
  }
}

async function serveResource(parts: RouterParts, req: IncomingMessage, res: ServerResponse, request: ResourceRequest, query: URLSearchParams): Promise<void> {
  const info = findResource(request.group, request.version, request.resource);
  if (!info) throw errors.notFoundPath();
  if (info.resource === 'bindings' || (info.resource === 'pods' && request.subresource === 'binding')) {
    if (request.verb !== 'create') throw errors.methodNotAllowed();
    const storage = parts.registry.get('', 'pods');
    return bind({ ...parts, req, res, request, query, storage, warnings: [] });
  }
  const storage = parts.registry.find(info.group, info.resource);
  if (!storage) throw errors.notFoundPath();
  if (info.resource === 'pods' && streamSubresources.has(request.subresource)) {
    // UpgradeAwareHandler with UpgradeRequired: a plain request cannot stream.
    throw errors.badRequest('Upgrade request required');
  }
  if (info.resource === 'pods' && request.subresource === 'log') {
    if (request.verb !== 'get') throw errors.methodNotAllowed();
    return podLog({ ...parts, req, res, request, query, storage, warnings: [] }, parts.kubelet);
  }
  const handler = pickHandler(request);
  if (!handler) throw errors.methodNotAllowed();
  await handler({ ...parts, req, res, request, query, storage, warnings: [] });
}

function pickHandler(request: ResourceRequest): Handler | undefined {
  const info = findResource(request.group, request.version, request.resource);
  if (!info) return undefined;
  if (!request.subresource) return info.verbs.includes(request.verb) || request.verb === 'watch' ? mainVerbs[request.verb] : undefined;
  const sub = info.subresources.find((s) => s.name === request.subresource);
  if (sub?.name === 'finalize') return request.verb === 'update' ? mainVerbs.update : undefined;
  if (sub?.name === 'scale') return sub.verbs.includes(request.verb) ? scale : undefined;
  if (!sub || request.subresource !== 'status') return undefined;
  return request.verb === 'get' || request.verb === 'update' || request.verb === 'patch' ? mainVerbs[request.verb] : undefined;
}

/** An Upgrade request (WebSocket or SPDY): only the pods' streaming subresources take one. */
export async function routeUpgrade(parts: RouterParts, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    const url = new URL(req.url ?? '/', 'https://peapod');
    const request = parseResourcePath(req.method ?? 'GET', url.pathname, url.searchParams);
    if (!request || request.resource !== 'pods' || request.group !== '' || !streamSubresources.has(request.subresource)) throw errors.notFoundPath();
    await podStream({ req, socket, head, request, query: url.searchParams, registry: parts.registry, kubelet: parts.kubelet });
  } catch (err) {
    sendUpgradeError(socket, toApiError(err));
  }
}
