// Reading a store watch in tests: the next N events, or the error that ends it, with a deadline.
import type { Watch, WatchEvent } from '../../src/store/store.ts';

export type WatchOutcome = { events: WatchEvent[]; error?: unknown; ended: boolean };

/** Reads until `count` events arrived, the watch ended, or `timeoutMs` passed (then fails). */
export async function readEvents(watch: Watch, count: number, timeoutMs = 10_000): Promise<WatchOutcome> {
  const iterator = watch.events[Symbol.asyncIterator]();
  const events: WatchEvent[] = [];
  const deadline = Date.now() + timeoutMs;
  while (events.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    try {
      const next = await Promise.race([iterator.next(), timeout]);
      if (next === 'timeout') {
        const got = events.map(describeEvent).join(', ');
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${count} watch events; got ${events.length}: ${got}`);
      }
      if (next.done) return { events, ended: true };
      events.push(next.value);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('timed out')) throw error;
      return { events, error, ended: true };
    } finally {
      clearTimeout(timer);
    }
  }
  return { events, ended: false };
}

export function describeEvent(event: WatchEvent): string {
  return `${event.type} ${event.kv.key}@${event.kv.modRevision}`;
}
