// The worker loop every controller runs over its work queue: take a key, sync it, forget it on
// success (or requeue it later when the sync asks), back off on failure. Ends when the queue
// shuts down.
import type { WorkQueue } from './workqueue.ts';

/** What a sync may ask for besides being done: another look after a while. */
export type SyncResult = void | { requeueAfterMs: number };

export async function processQueue(queue: WorkQueue<string>, name: string, sync: (key: string) => Promise<SyncResult>): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      const result = await sync(key);
      queue.forget(key);
      if (result) queue.addAfter(key, result.requeueAfterMs);
    } catch (err) {
      console.error(`${name}: ${key}: ${(err as Error).message}`);
      queue.addRateLimited(key);
    } finally {
      queue.done(key);
    }
  }
}
