// How long a failed item waits before its retry — client-go's DefaultControllerRateLimiter:
// the larger of a per-item exponential backoff (5 ms doubling to 1000 s) and an overall token
// bucket (10 per second, bursts of 100), so one hot failure backs off alone while a storm of
// distinct failures is still paced.
import { realClock } from './clock.ts';
import type { Clock } from './clock.ts';

export interface RateLimiter<K> {
  /** Delay in ms before the item may be retried; counts one more failure. */
  when(item: K): number;
  /** The item succeeded: its failure history is cleared. */
  forget(item: K): void;
  numRequeues(item: K): number;
}

export class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(baseMs: number, maxMs: number) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  when(item: K): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    return Math.min(this.baseMs * 2 ** exp, this.maxMs);
  }

  forget(item: K): void {
    this.failures.delete(item);
  }

  numRequeues(item: K): number {
    return this.failures.get(item) ?? 0;
  }
}

/** A token bucket shared by all items; a retry beyond the burst waits for its token. */
export class BucketRateLimiter<K> implements RateLimiter<K> {
  private readonly perMs: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(qps: number, burst: number, clock: Clock = realClock) {
    this.perMs = qps / 1000;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now();
  }

  when(_item: K): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) * this.perMs);
    this.last = now;
    this.tokens -= 1; // reserved even when not yet available, so later callers queue behind
    return this.tokens >= 0 ? 0 : -this.tokens / this.perMs;
  }

  forget(_item: K): void {}

  numRequeues(_item: K): number {
    return 0;
  }
}

export class MaxOfRateLimiter<K> implements RateLimiter<K> {
  private readonly limiters: RateLimiter<K>[];

  constructor(...limiters: RateLimiter<K>[]) {
    this.limiters = limiters;
  }

  when(item: K): number {
    return Math.max(...this.limiters.map((l) => l.when(item)));
  }

  forget(item: K): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: K): number {
    return Math.max(...this.limiters.map((l) => l.numRequeues(item)));
  }
}

export function defaultControllerRateLimiter<K>(clock: Clock = realClock): RateLimiter<K> {
  return new MaxOfRateLimiter<K>(new ItemExponentialFailureRateLimiter<K>(5, 1_000_000), new BucketRateLimiter<K>(10, 100, clock));
}
