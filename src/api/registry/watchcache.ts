// The watch cache: one store watch over /registry/ feeds a ring of recent events; every API watch
// is served from the ring (replay from its resourceVersion, then live), so N watchers cost one
// store watch. A watch older than the ring falls back to a direct store watch, which the store
// answers from its log or with "Compacted" (→ 410 Gone); that is how watches resume across a
// server restart.
//
//   store.watch('/registry/') ──▶ ring [rev r0+1 … rN] ──▶ subscriber(prefix, fromRev) …
import type { Store, Watch, WatchEvent } from '../../store/store.ts';
import { StoreError } from '../../store/store.ts';
import { AsyncQueue } from '../../util/asyncqueue.ts';

interface Subscriber {
  prefix: string;
  queue: AsyncQueue<WatchEvent>;
}

export interface WatchCacheOptions {
  /** Events kept for replay. */
  capacity?: number;
  /** A subscriber this far behind is cut off (the client re-watches). */
  maxBacklog?: number;
}

export class WatchCache {
  private readonly store: Store;
  private readonly capacity: number;
  private readonly maxBacklog: number;
  private readonly ring: WatchEvent[] = [];
  private readonly subscribers = new Set<Subscriber>();
  private source: Watch | undefined;
  /** Every event after this revision is in the ring (or was evicted, moving this forward). */
  private base = 0;
  private latest = 0;

  constructor(store: Store, options: WatchCacheOptions = {}) {
    this.store = store;
    this.capacity = options.capacity ?? 10_000;
    this.maxBacklog = options.maxBacklog ?? 50_000;
  }

  /** The newest revision the cache has seen. */
  get revision(): number {
    return this.latest;
  }

  async start(): Promise<void> {
    this.base = this.latest = await this.store.currentRevision();
    this.source = this.store.watch('/registry/', this.base);
    void this.pump(this.source);
  }

  stop(): void {
    this.source?.close();
    for (const s of this.subscribers) s.queue.end();
    this.subscribers.clear();
  }

  private async pump(source: Watch): Promise<void> {
    try {
      for await (const event of source.events) this.publish(event);
    } catch (err) {
      console.error('watch cache: store watch failed:', err);
      for (const s of this.subscribers) s.queue.end(err);
      this.subscribers.clear();
    }
  }

  private publish(event: WatchEvent): void {
    this.latest = event.kv.modRevision;
    this.ring.push(event);
    if (this.ring.length > this.capacity) this.base = (this.ring.shift() as WatchEvent).kv.modRevision;
    for (const s of this.subscribers) {
      if (!event.kv.key.startsWith(s.prefix)) continue;
      if (s.queue.size >= this.maxBacklog) {
        s.queue.end();
        this.subscribers.delete(s);
        continue;
      }
      s.queue.push(event);
    }
  }

  /** Every change under prefix after fromRevision, in order. */
  watch(prefix: string, fromRevision: number): Watch {
    if (fromRevision < this.base) return this.store.watch(prefix, fromRevision);
    const subscriber: Subscriber = { prefix, queue: new AsyncQueue<WatchEvent>() };
    for (const event of this.ring) {
      if (event.kv.modRevision > fromRevision && event.kv.key.startsWith(prefix)) subscriber.queue.push(event);
    }
    this.subscribers.add(subscriber);
    return {
      events: subscriber.queue,
      close: () => {
        this.subscribers.delete(subscriber);
        subscriber.queue.end();
      },
    };
  }
}

export function isCompacted(err: unknown): err is StoreError {
  return err instanceof StoreError && err.code === 'Compacted';
}
