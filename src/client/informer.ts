// Informer: a cache of one resource kept current by list + watch, with handlers told about each
// change — client-go's reflector and shared informer in one, for one resource and one consumer.
//
//   start ─▶ list (RV "0") ─▶ replace cache ─▶ synced
//               ▲                                 │
//               │ 410 Expired                     ▼
//               └──────────────────────── watch from last RV ◀─┐
//                                                 │            │ clean end of stream,
//                                                 └────────────┘ other errors after a delay
//
// The last seen resourceVersion advances with every event and bookmark, so a dropped stream
// resumes where it stopped; only an expired resourceVersion costs a relist, whose differences
// to the cache come out as synthetic add/update/delete.
import { setTimeout as sleep } from 'node:timers/promises';
import { ObjectCache, resourceVersionOf } from './cache.ts';
import type { Delta, KubeObject } from './cache.ts';
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { ClientError, isExpired } from './errors.ts';
import { resourcePath } from './paths.ts';
import type { ResourceRef } from './paths.ts';
import type { RestClient } from './rest.ts';
import type { WatchStream } from './watch.ts';

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(old: T, obj: T): void;
  delete?(obj: T): void;
}

/** Waits before retry number `attempt` (0-based); must settle promptly when signal aborts. */
export type DelayFn = (attempt: number, signal: AbortSignal) => Promise<void>;

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Re-deliver every cached object as update(obj, obj) this often, for level-triggered consumers. */
  resyncPeriodMs?: number;
  /** Per watch request; default a random 300–600 s, as client-go spreads its re-watches. */
  watchTimeoutSeconds?: number;
  /** Page size of lists that read from storage. Default 500. */
  pageSize?: number;
  delay?: DelayFn;
  clock?: Clock;
  onError?: (err: Error) => void;
}

/** 0.8 s doubling to 30 s with up to 100% jitter, client-go's reflector backoff. */
export const defaultDelay: DelayFn = async (attempt, signal) => {
  const ms = Math.min(800 * 2 ** attempt, 30_000) * (1 + Math.random());
  await sleep(ms, undefined, { signal }).catch(() => undefined);
};

export class Informer<T extends KubeObject> {
  private readonly cache = new ObjectCache<T>();
  private readonly handlers: EventHandler<T>[] = [];
  private readonly client: RestClient;
  private readonly path: string;
  private readonly options: InformerOptions;
  private readonly abort = new AbortController();
  private readonly syncWaiters: ((synced: boolean) => void)[] = [];
  private lastRV = '';
  private lastRVExpired = false;
  private synced = false;
  private stream: WatchStream<T> | undefined;
  private running: Promise<void> | undefined;
  private cancelResync: (() => void) | undefined;

  constructor(client: RestClient, resource: Omit<ResourceRef, 'name' | 'subresource'>, options: InformerOptions = {}) {
    this.client = client;
    this.path = resourcePath(resource);
    this.options = options;
  }

  /** Handlers added after the first sync are first told about every cached object as an add. */
  addEventHandler(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    for (const obj of this.cache.list()) this.call(() => handler.add?.(obj));
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops watching; resolves once the loop has exited. The cache stays readable. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.stream?.close();
    this.cancelResync?.();
    for (const resolve of this.syncWaiters.splice(0)) resolve(false);
    await this.running;
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** True once the first list is in the cache; false if stopped before that. */
  waitForSync(): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.abort.signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get(key: string): T | undefined {
    return this.cache.get(key);
  }

  list(): T[] {
    return this.cache.list();
  }

  /** The resourceVersion the next watch starts from. */
  get resourceVersion(): string {
    return this.lastRV;
  }

  private async run(): Promise<void> {
    let needList = true;
    let attempt = 0;
    while (!this.abort.signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
          attempt = 0;
        }
        if (await this.watchOnce()) {
          attempt = 0;
          continue;
        }
      } catch (err) {
        if (this.abort.signal.aborted) break;
        if (isExpired(err) && !needList) {
          needList = true; // the watch fell behind: relist at once
          continue;
        }
        if (isExpired(err) && !this.lastRVExpired) {
          this.lastRVExpired = true; // the list at our resourceVersion expired too: read the newest state
          continue;
        }
        this.report(err);
      }
      await (this.options.delay ?? defaultDelay)(attempt++, this.abort.signal);
    }
  }

  private async relist(): Promise<void> {
    const { labelSelector, fieldSelector } = this.options;
    const resourceVersion = this.lastRVExpired ? '' : this.lastRV || '0';
    const items: T[] = [];
    let page = await this.client.list<T>(this.path, { labelSelector, fieldSelector, resourceVersion, limit: resourceVersion === '' ? this.options.pageSize ?? 500 : undefined });
    items.push(...page.items);
    while (page.metadata.continue) {
      page = await this.client.list<T>(this.path, { labelSelector, fieldSelector, continue: page.metadata.continue, limit: this.options.pageSize ?? 500 });
      items.push(...page.items);
    }
    if (this.abort.signal.aborted) return;
    this.lastRV = page.metadata.resourceVersion ?? '';
    this.lastRVExpired = false;
    this.emit(this.cache.replace(items));
    if (!this.synced) this.markSynced();
  }

  /** One watch request; true if it delivered anything (so a quiet re-watch needs no delay). */
  private async watchOnce(): Promise<boolean> {
    const { labelSelector, fieldSelector } = this.options;
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? Math.floor(300 * (1 + Math.random()));
    const stream = await this.client.watch<T>(this.path, { resourceVersion: this.lastRV, allowWatchBookmarks: true, timeoutSeconds, labelSelector, fieldSelector });
    this.stream = stream;
    if (this.abort.signal.aborted) stream.close();
    let progressed = false;
    try {
      for await (const event of stream) {
        progressed = true;
        if (event.type === 'ERROR') throw new ClientError(event.object, `GET ${this.path} (watch)`);
        if (event.type === 'ADDED' || event.type === 'MODIFIED') this.emit([this.cache.upsert(event.object)]);
        else if (event.type === 'DELETED') this.emit([this.cache.remove(event.object)]);
        this.lastRV = resourceVersionOf(event.object) || this.lastRV;
      }
    } finally {
      stream.close();
      this.stream = undefined;
    }
    return progressed;
  }

  private markSynced(): void {
    this.synced = true;
    for (const resolve of this.syncWaiters.splice(0)) resolve(true);
    if (this.options.resyncPeriodMs) this.scheduleResync(this.options.resyncPeriodMs);
  }

  private scheduleResync(period: number): void {
    this.cancelResync = (this.options.clock ?? realClock).after(period, () => {
      if (this.abort.signal.aborted) return;
      this.emit(this.cache.list().map((obj) => ({ type: 'update', old: obj, obj })));
      this.scheduleResync(period);
    });
  }

  private emit(deltas: Delta<T>[]): void {
    for (const delta of deltas) {
      for (const handler of this.handlers) {
        this.call(() => {
          if (delta.type === 'add') handler.add?.(delta.obj);
          else if (delta.type === 'update') handler.update?.(delta.old, delta.obj);
          else handler.delete?.(delta.obj);
        });
      }
    }
  }

  /** A failing handler is reported, never allowed to stop the watch loop. */
  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.report(err);
    }
  }

  private report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.options.onError) this.options.onError(error);
    else console.warn(`informer ${this.path}: ${error.message}`);
  }
}
