// Time as a dependency: the work queue's delays and the informer's resync read the clock
// through this interface, so tests step a FakeClock instead of sleeping.

export interface Clock {
  /** Milliseconds since an arbitrary epoch; only differences matter. */
  now(): number;
  /** Runs fn once after ms milliseconds; the returned function cancels it. */
  after(ms: number, fn: () => void): () => void;
}

/** Wall-clock time. Timers are unref'd: a pending requeue or resync never keeps a process alive. */
export const realClock: Clock = {
  now: () => performance.now(),
  after(ms, fn) {
    const timer = setTimeout(fn, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

interface PendingTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/** A clock that moves only when told to; step() fires every timer that falls due, in time order. */
export class FakeClock implements Clock {
  private time = 0;
  private seq = 0;
  private readonly timers = new Set<PendingTimer>();

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.add(timer);
    return () => this.timers.delete(timer);
  }

  /** Number of timers not yet fired or cancelled. */
  get pending(): number {
    return this.timers.size;
  }

  step(ms: number): void {
    const until = this.time + ms;
    for (let next = this.nextDue(until); next; next = this.nextDue(until)) {
      this.timers.delete(next);
      this.time = next.at;
      next.fn();
    }
    this.time = until;
  }

  private nextDue(until: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.timers) {
      if (t.at > until) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
