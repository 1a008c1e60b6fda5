// What every resource handler gets: the parsed request, its storage and the server's shared parts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResourceRequest } from '../http/requestinfo.ts';
import type { Registry } from '../registry/registry.ts';
import type { ResourceStorage } from '../registry/storage.ts';
import type { WatchCache } from '../registry/watchcache.ts';
import type { ObjectCodec } from './codec.ts';
import type { SchemaSet } from '../schema/schema.ts';

export interface ServerParts {
  registry: Registry;
  watchCache: WatchCache;
  codec: ObjectCodec;
  schemas: SchemaSet;
  /** How often watches that allow bookmarks get one. */
  bookmarkIntervalMs: number;
}

export interface RequestContext extends ServerParts {
  req: IncomingMessage;
  res: ServerResponse;
  request: ResourceRequest;
  query: URLSearchParams;
  storage: ResourceStorage;
  /** Warnings to return as Warning headers. */
  warnings: string[];
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}
