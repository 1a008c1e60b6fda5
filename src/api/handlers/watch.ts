// GET ?watch=true: a chunked stream of {"type","object"} events from the watch cache.
//   no resourceVersion or "0" → synthetic ADDED for the current state, then changes
//   resourceVersion N          → every change after N (410 Expired when N was compacted away)
// An object that stops matching the selectors is sent as DELETED, one that starts as ADDED.
// Bookmarks (allowWatchBookmarks) carry the cache's revision; timeoutSeconds ends the stream.
import type { ServerResponse } from 'node:http';
import { errors } from '../errors.ts';
import { includeObjectParam, wantsTable } from '../http/negotiate.ts';
import type { KubeObject } from '../registry/object.ts';
import { groupVersion } from '../registry/resource.ts';
import { isCompacted } from '../registry/watchcache.ts';
import type { WatchEvent } from '../../store/store.ts';
import type { RequestContext } from './context.ts';
import { listObjects } from './list.ts';
import { selection, type Predicate } from './selection.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export async function watch(ctx: RequestContext): Promise<void> {
  const { storage, query, request } = ctx;
  const info = storage.strategy.info;
  const matches = selection(info.kind, query);
  const rv = query.get('resourceVersion');
  let from = rv && rv !== '0' ? Number(rv) : undefined;
  if (from !== undefined && (!Number.isSafeInteger(from) || from < 0)) throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  const initial: KubeObject[] = [];
  if (from === undefined) {
    const page = await listObjects(storage, request.namespace, matches, {});
    initial.push(...page.items);
    from = Number(page.resourceVersion);
  }
  const source = ctx.watchCache.watch(storage.prefix(request.namespace), from);
  const stream = new EventWriter(ctx, info.kind, groupVersion(info));
  let lastRevision = from;
  const closed = () => source.close();
  ctx.res.on('close', closed);
  const timers = startTimers(ctx, () => stream.bookmark(Math.max(lastRevision, ctx.watchCache.revision)), closed);
  try {
    for (const obj of initial) stream.send('ADDED', obj);
    for await (const event of source.events) {
      lastRevision = event.kv.modRevision;
      const change = translate(event, (kv) => decodeShared(kv, storage), matches);
      if (change) stream.send(change.type, change.object);
    }
  } catch (err) {
    if (!isCompacted(err)) throw err;
    stream.send('ERROR', errors.expired(`too old resource version: ${from} (${err.compactRevision ?? 0})`).toStatus() as KubeObject);
  } finally {
    timers.stop();
    ctx.res.off('close', closed);
    ctx.res.end();
  }
}

// Every watcher of a resource receives the same event objects from the watch cache: each is
// decoded and serialized once, however many watchers it reaches. Decoded objects are shared,
// so nothing below mutates them.
const decodedValues = new WeakMap<WatchEvent['kv'], KubeObject>();
const serializedObjects = new WeakMap<KubeObject, string>();

function decodeShared(kv: WatchEvent['kv'], storage: RequestContext['storage']): KubeObject {
  let obj = decodedValues.get(kv);
  if (!obj) {
    obj = storage.decode(kv);
    decodedValues.set(kv, obj);
  }
  return obj;
}

function serialized(obj: KubeObject): string {
  let json = serializedObjects.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    serializedObjects.set(obj, json);
  }
  return json;
}

function translate(event: WatchEvent, decode: (kv: WatchEvent['kv']) => KubeObject, matches: Predicate): { type: EventType; object: KubeObject } | undefined {
  const prev = event.prev ? decode(event.prev) : undefined;
  const wasIn = prev !== undefined && matches(prev);
  if (event.type === 'delete') {
    if (!wasIn) return undefined;
    return { type: 'DELETED', object: { ...prev, metadata: { ...prev.metadata, resourceVersion: String(event.kv.modRevision) } } };
  }
  const obj = decode(event.kv);
  const isIn = matches(obj);
  if (isIn) return { type: wasIn ? 'MODIFIED' : 'ADDED', object: obj };
  return wasIn ? { type: 'DELETED', object: obj } : undefined;
}

function startTimers(ctx: RequestContext, bookmark: () => void, end: () => void): { stop(): void } {
  const handles: NodeJS.Timeout[] = [];
  if (ctx.query.get('allowWatchBookmarks') === 'true') {
    handles.push(setInterval(bookmark, ctx.bookmarkIntervalMs));
  }
  const timeout = Number(ctx.query.get('timeoutSeconds'));
  if (timeout > 0) handles.push(setTimeout(end, timeout * 1000));
  return { stop: () => handles.forEach((h) => clearInterval(h)) };
}

/** Writes events as JSON lines, as Tables when asked (column definitions in the first only). */
class EventWriter {
  private readonly res: ServerResponse;
  private readonly ctx: RequestContext;
  private readonly kind: string;
  private readonly apiVersion: string;
  private readonly table: boolean;
  private firstTable = true;

  constructor(ctx: RequestContext, kind: string, apiVersion: string) {
    this.ctx = ctx;
    this.res = ctx.res;
    this.kind = kind;
    this.apiVersion = apiVersion;
    this.table = wantsTable(ctx.req.headers.accept);
    this.res.writeHead(200, {
      'Content-Type': this.table ? 'application/json;as=Table;v=v1;g=meta.k8s.io' : 'application/json',
      'Cache-Control': 'no-cache, private',
      'Transfer-Encoding': 'chunked',
    });
    this.res.flushHeaders();
  }

  send(type: EventType, obj: KubeObject): void {
    let object: unknown = obj;
    if (this.table && type !== 'ERROR') {
      object = this.ctx.codec.table(this.kind, [obj], {
        includeObject: includeObjectParam(this.ctx.query.get('includeObject')),
        now: this.ctx.registry.now(),
        listMeta: { resourceVersion: obj.metadata?.resourceVersion },
        omitColumnDefinitions: !this.firstTable,
      });
      this.firstTable = false;
    }
    const json = object === obj ? serialized(obj) : JSON.stringify(object);
    this.res.write(`{"type":"${type}","object":${json}}\n`);
  }

  bookmark(revision: number): void {
    const object = { kind: this.kind, apiVersion: this.apiVersion, metadata: { resourceVersion: String(revision) } };
    this.res.write(`${JSON.stringify({ type: 'BOOKMARK', object })}\n`);
  }
}
