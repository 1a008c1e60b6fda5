import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../src/client/clock.ts';
import { WorkQueue } from '../../src/client/workqueue.ts';
import { BucketRateLimiter, ItemExponentialFailureRateLimiter, defaultControllerRateLimiter } from '../../src/client/ratelimiter.ts';

describe('WorkQueue', () => {
  test('deduplicates keys waiting in the queue', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('default/a');
    q.add('default/b');
    q.add('default/a');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'default/a');
    assert.equal(await q.get(), 'default/b');
    assert.equal(q.len(), 0);
  });

  test('a key being processed is not handed out again until done, then once more', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add('a');
    const key = await q.get();
    q.add('a');
    q.add('a');
    assert.equal(q.len(), 0, 'in process: held back');
    let second: string | undefined;
    const secondWorker = q.get().then((k) => (second = k));
    await Promise.resolve();
    assert.equal(second, undefined, 'a second worker waits instead of getting the key in process');
    q.done(key!);
    assert.equal(await secondWorker, 'a');
    q.done('a');
    assert.equal(q.len(), 0, 'not re-added while processing the second time: nothing left');
  });

  test('waiting workers each get a different key', async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const workers = [q.get(), q.get()];
    q.add('a');
    q.add('a');
    q.add('b');
    assert.deepEqual((await Promise.all(workers)).sort(), ['a', 'b']);
  });

  test('addAfter holds a key until its time; the earliest request wins', () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter('a', 100);
    q.addAfter('a', 50);
    q.addAfter('a', 200);
    clock.step(49);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
    clock.step(1000);
    assert.equal(q.len(), 1, 'the later requests were folded into the earlier one');
    q.addAfter('b', 0);
    assert.equal(q.len(), 2);
  });

  test('addRateLimited backs off per key exponentially from 5 ms; forget resets', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('a');
      while (q.len() === 0) clock.step(1);
      delays.push(clock.now() - start);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [5, 10, 20, 40]);
    assert.equal(q.numRequeues('a'), 4);
    q.forget('a');
    assert.equal(q.numRequeues('a'), 0);
    q.addRateLimited('a');
    clock.step(4);
    assert.equal(q.len(), 0);
    clock.step(1);
    assert.equal(q.len(), 1);
  });

  test('shutDown drains queued keys, then answers undefined; delayed keys are dropped', async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.add('a');
    q.addAfter('b', 10);
    q.shutDown();
    assert.equal(clock.pending, 0);
    q.add('c');
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), undefined);
    assert.equal(q.isShuttingDown, true);

    const idle = new WorkQueue({ clock });
    const waiting = idle.get();
    idle.shutDown();
    assert.equal(await waiting, undefined);
  });
});

describe('rate limiters', () => {
  test('per-item exponential backoff is capped and independent per item', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
    assert.equal(limiter.when('a'), 5);
    assert.equal(limiter.when('b'), 5);
    assert.equal(limiter.when('a'), 10);
    for (let i = 0; i < 40; i++) limiter.when('a');
    assert.equal(limiter.when('a'), 1_000_000);
  });

  test('the token bucket allows a burst, then paces at its rate', () => {
    const clock = new FakeClock();
    const bucket = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) assert.equal(bucket.when(`k${i}`), 0);
    assert.equal(bucket.when('x'), 100);
    assert.equal(bucket.when('y'), 200);
    clock.step(300);
    assert.equal(bucket.when('z'), 0);
  });

  test('the default controller limiter is the larger of both', () => {
    const clock = new FakeClock();
    const limiter = defaultControllerRateLimiter<string>(clock);
    assert.equal(limiter.when('a'), 5);
    for (let i = 0; i < 99; i++) limiter.when(`k${i}`);
    assert.equal(limiter.when('b'), 100, 'bucket exhausted: its wait exceeds b\'s 5 ms');
  });
});
