// Waiting without sleeping for logic: poll a condition until a deadline, and a queue whose
// consumer awaits the next item with a deadline. Every failure says what was awaited.
import { setTimeout as delay } from 'node:timers/promises';

/** Calls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await delay(intervalMs);
  }
}

/** Items pushed by a producer (a watch callback, a child's output) and awaited in order by a test. */
export class Inbox<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private closedWith: Error | undefined;

  push(item: T): void {
    this.items.push(item);
    this.wake();
  }

  /** No more items will come; pending and later `next` calls fail with `reason`. */
  close(reason: Error): void {
    this.closedWith ??= reason;
    this.wake();
  }

  /** Everything received so far, for failure messages. */
  get received(): readonly T[] {
    return this.items;
  }

  /** Removes and returns the first item that matches, waiting for it up to `timeoutMs`. */
  async take(what: string, matches: (item: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.items.findIndex(matches);
      if (index >= 0) return this.items.splice(index, 1)[0] as T;
      if (this.closedWith) throw new Error(`waiting for ${what}: ${this.closedWith.message}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await this.wait(left);
    }
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  private wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
