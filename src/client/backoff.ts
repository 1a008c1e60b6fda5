// Per-key exponential back-off, as client-go's flowcontrol.Backoff without jitter. The kubelet
// keeps two: one for image pulls (per pod and image) and one for container restarts (per pod and
// container), both 10 s doubling up to 300 s. An entry untouched for twice the maximum starts
// over at the initial delay and is dropped by gc(); measured from an event's time when one is
// given, so that a container that ran 10 min before it exited restarts at once and from 10 s again.
import type { Clock } from './clock.ts';

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly entries = new Map<string, Entry>();

  /** `clock.now()` must count in the same epoch as the event times passed to remaining(). */
  constructor(initialMs: number, maxMs: number, clock: Pick<Clock, 'now'>) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.clock = clock;
  }

  /**
   * Records a failure now (of an event at `eventTime`, now by default): the first, or the first
   * after expiry, waits initialMs, each next one twice as long. Returns the new delay.
   */
  next(key: string, eventTime?: number): number {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    const delayMs = entry === undefined || this.expired(entry, eventTime ?? now) ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  /** Whether less than the current delay has passed since the last next(). */
  inBackOffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() - entry.lastUpdate < entry.delayMs;
  }

  /** Milliseconds `key` must still wait after an event at `eventTime` (a container's exit); 0 when it need not. */
  remaining(key: string, eventTime: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, eventTime)) return 0;
    return Math.max(0, eventTime + entry.delayMs - this.clock.now());
  }

  /** The current delay of a key, 0 when it has none. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  /** Drops every expired entry. */
  gc(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  /** Drops the entries of keys that start with `prefix` (a deleted pod's containers). */
  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: Entry, at: number): boolean {
    return at - entry.lastUpdate > 2 * this.maxMs;
  }
}
