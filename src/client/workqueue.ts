// WorkQueue: the keys a controller still has to reconcile, with client-go's workqueue rules.
//   - dedup: a key queued twice is handed out once;
//   - processing: a key being worked on is not handed to a second worker; if it is added again
//     meanwhile, it is queued once more when done() is called, so the latest state gets a pass;
//   - delays: addAfter() holds a key until its time (the earliest of repeated requests wins);
//     addRateLimited() waits per the rate limiter, forget() clears the key's failure count.
//
//   add ─▶ dirty ─▶ queue ─▶ get() ─▶ processing ─▶ done() ─▶ (dirty again? ─▶ queue)
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';
import { defaultControllerRateLimiter } from './ratelimiter.ts';
import type { RateLimiter } from './ratelimiter.ts';

export interface WorkQueueOptions<K> {
  clock?: Clock;
  rateLimiter?: RateLimiter<K>;
}

interface Delayed {
  readyAt: number;
  cancel: () => void;
}

export class WorkQueue<K = string> {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<K>;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly delayed = new Map<K, Delayed>();
  private readonly getters: ((key: K | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(options: WorkQueueOptions<K> = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<K>(this.clock);
  }

  add(key: K): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  addAfter(key: K, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) {
      this.add(key);
      return;
    }
    const readyAt = this.clock.now() + ms;
    const pending = this.delayed.get(key);
    if (pending && pending.readyAt <= readyAt) return;
    pending?.cancel();
    const cancel = this.clock.after(ms, () => {
      this.delayed.delete(key);
      this.add(key);
    });
    this.delayed.set(key, { readyAt, cancel });
  }

  addRateLimited(key: K): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  forget(key: K): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: K): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** The next key to work on; undefined once shut down and drained. Call done(key) after. */
  get(): Promise<K | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  done(key: K): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.queue.push(key);
      this.handOut();
    }
  }

  /** Keys ready to be handed out (not counting delayed or in-process keys). */
  len(): number {
    return this.queue.length;
  }

  /** Refuses new keys, drops delayed ones; get() drains what is queued, then yields undefined. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const pending of this.delayed.values()) pending.cancel();
    this.delayed.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  get isShuttingDown(): boolean {
    return this.shuttingDown;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.queue.length > 0) {
      const resolve = this.getters.shift() as (key: K | undefined) => void;
      resolve(this.take());
    }
  }

  private take(): K {
    const key = this.queue.shift() as K;
    this.processing.add(key);
    this.dirty.delete(key);
    return key;
  }
}
