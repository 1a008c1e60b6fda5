import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { WorkQueue } from '../../src/client/workqueue.ts';
import { processQueue, type SyncResult } from '../../src/client/worker.ts';

/** Lets the worker loop run until it waits on the queue again. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

test('a failed sync is retried with back-off, a requeue comes back after its delay', async () => {
  const clock = new FakeClock();
  const queue = new WorkQueue<string>({ clock });
  const seen: string[] = [];
  let failures = 1;
  const results: Record<string, SyncResult> = { later: { requeueAfterMs: 1000 } };
  const done = processQueue(queue, 'test', async (key) => {
    seen.push(key);
    if (key === 'flaky' && failures-- > 0) throw new Error('boom');
    const result = results[key];
    delete results[key];
    return result;
  });
  const quiet = console.error;
  console.error = () => {};
  try {
    queue.add('flaky');
    queue.add('later');
    await settle();
    assert.deepEqual(seen, ['flaky', 'later']);
    clock.step(999);
    await settle();
    assert.deepEqual(seen, ['flaky', 'later', 'flaky'], 'the failure came back after its back-off, before the requeue');
    clock.step(1);
    await settle();
    assert.deepEqual(seen, ['flaky', 'later', 'flaky', 'later']);
  } finally {
    console.error = quiet;
    queue.shutDown();
  }
  await done;
});
