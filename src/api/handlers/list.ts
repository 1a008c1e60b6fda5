// GET on a collection: a consistent list (or one at a requested revision), filtered by the
// selectors, paged by limit/continue, as a typed List or a Table.
import { errors } from '../errors.ts';
import { includeObjectParam, wantsTable } from '../http/negotiate.ts';
import { sendJson } from '../http/respond.ts';
import type { KubeObject } from '../registry/object.ts';
import { groupVersion } from '../registry/resource.ts';
import type { ResourceStorage } from '../registry/storage.ts';
import type { RequestContext } from './context.ts';
import { warningHeaders } from './codec.ts';
import { selection, type Predicate } from './selection.ts';
import { StoreError } from '../../store/store.ts';

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export async function list(ctx: RequestContext): Promise<void> {
  const { storage, query, request } = ctx;
  const info = storage.strategy.info;
  const page = await listObjects(storage, request.namespace, selection(info.kind, query), {
    limit: positiveInt(query.get('limit')),
    continue: query.get('continue') ?? undefined,
    revision: listRevision(query),
  });
  const now = ctx.registry.now();
  if (wantsTable(ctx.req.headers.accept)) {
    const { items, ...listMeta } = page;
    const table = ctx.codec.table(info.kind, items, { includeObject: includeObjectParam(query.get('includeObject')), now, listMeta });
    sendJson(ctx.res, 200, table, warningHeaders(ctx.warnings));
    return;
  }
  const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
  if (page.continue) metadata.continue = page.continue;
  if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
  sendJson(ctx.res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata, items: page.items }, warningHeaders(ctx.warnings));
}

/** Fills a page of `limit` matching objects, reading the store page by page at one revision. */
export async function listObjects(
  storage: ResourceStorage,
  namespace: string,
  matches: Predicate,
  options: { limit?: number; continue?: string; revision?: number },
): Promise<ListPage> {
  const items: KubeObject[] = [];
  let token = options.continue;
  let revision = options.revision;
  for (;;) {
    const want = options.limit ? options.limit - items.length : undefined;
    const result = await storeList(storage, namespace, { revision: token ? undefined : revision, limit: want, continue: token });
    revision = result.revision;
    for (const kv of result.items) {
      const obj = storage.decode(kv);
      if (matches(obj)) items.push(obj);
    }
    token = result.continue;
    if (!token || (options.limit && items.length >= options.limit)) {
      const page: ListPage = { items, resourceVersion: String(result.revision) };
      if (token) {
        page.continue = token;
        if (result.remaining !== undefined) page.remainingItemCount = result.remaining;
      }
      return page;
    }
  }
}

async function storeList(storage: ResourceStorage, namespace: string, options: { revision?: number; limit?: number; continue?: string }) {
  try {
    return await storage.list(namespace, options);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'Compacted') {
      throw options.continue
        ? errors.expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.')
        : errors.expired(`too old resource version: ${options.revision} (${err.compactRevision ?? 0})`);
    }
    throw err;
  }
}

/** An exact revision only when the client asked for one (resourceVersionMatch=Exact, or a paged read at N). */
function listRevision(query: URLSearchParams): number | undefined {
  const rv = query.get('resourceVersion');
  if (!rv || rv === '0') return undefined;
  const revision = Number(rv);
  if (!Number.isSafeInteger(revision) || revision < 0) {
    throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  }
  const match = query.get('resourceVersionMatch');
  if (match === 'Exact' || (!match && query.get('limit'))) return revision;
  return undefined;
}

function positiveInt(value: string | null): number | undefined {
  const n = Number(value);
  return value && Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
