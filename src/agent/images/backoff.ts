// Per-key exponential back-off, as client-go's flowcontrol.Backoff without jitter (what the
// kubelet builds for image pulls: 10 s initial, doubling up to 300 s). A key is "in back-off"
// while less than its current delay has passed since its last failure; an entry untouched for
// twice the maximum starts over at the initial delay and is dropped by gc().
import type { Clock } from '../../client/clock.ts';

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly clock: Pick<Clock, 'now'>;
  private readonly entries = new Map<string, Entry>();

  constructor(initialMs: number, maxMs: number, clock: Pick<Clock, 'now'>) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.clock = clock;
  }

  /** Records a failure: the first (or the first after expiry) waits initialMs, each next one twice as long. */
  next(key: string): void {
    const now = this.clock.now();
    const entry = this.entries.get(key);
    const delayMs = entry === undefined || this.expired(entry, now) ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
  }

  inBackOffSinceUpdate(key: string): boolean {
    const entry = this.entries.get(key);
    return entry !== undefined && this.clock.now() - entry.lastUpdate < entry.delayMs;
  }

  /** The current delay of a key, 0 when it has none. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  gc(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) if (this.expired(entry, now)) this.entries.delete(key);
  }

  private expired(entry: Entry, now: number): boolean {
    return now - entry.lastUpdate > 2 * this.maxMs;
  }
}
