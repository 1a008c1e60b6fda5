// Crash back-off per container (the kubelet's flowcontrol.Backoff): the first restart is
// immediate; each later one waits 10 s, doubling to 5 min, counted from the container's exit.
// An entry untouched for twice the maximum starts over.
export interface BackoffOptions {
  initialMs?: number;
  maxMs?: number;
  now?: () => number;
}

interface Entry {
  delayMs: number;
  lastUpdate: number;
}

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly now: () => number;
  private readonly entries = new Map<string, Entry>();

  constructor(options: BackoffOptions = {}) {
    this.initialMs = options.initialMs ?? 10_000;
    this.maxMs = options.maxMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds `key` must still wait after an exit at `exitedAt`; 0 when it may restart. */
  remaining(key: string, exitedAt: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || this.expired(entry, this.now())) return 0;
    return Math.max(0, exitedAt + entry.delayMs - this.now());
  }

  /** Records a restart now and returns the delay the next exit will have to wait. */
  next(key: string): number {
    const now = this.now();
    const entry = this.entries.get(key);
    const delayMs = entry === undefined || this.expired(entry, now) ? this.initialMs : Math.min(entry.delayMs * 2, this.maxMs);
    this.entries.set(key, { delayMs, lastUpdate: now });
    return delayMs;
  }

  /** The current delay, for the CrashLoopBackOff message. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? this.initialMs;
  }

  forgetPrefix(prefix: string): void {
    for (const key of this.entries.keys()) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  private expired(entry: Entry, at: number): boolean {
    return at - entry.lastUpdate > 2 * this.maxMs;
  }
}
