import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../src/agent/podworker/backoff.ts';
import { goDuration } from '../../src/agent/podworker/duration.ts';

test('crash back-off: first restart at once, then 10 s doubling to 5 min, measured from the exit', () => {
  let now = 0;
  const backoff = new Backoff({ now: () => now });
  assert.equal(backoff.remaining('p/c', now), 0);
  assert.equal(backoff.next('p/c'), 10_000);
  now = 1_000; // exited again after running 1 s
  assert.equal(backoff.remaining('p/c', 1_000), 10_000);
  now = 11_000;
  assert.equal(backoff.remaining('p/c', 1_000), 0);
  const delays = [];
  for (let i = 0; i < 7; i++) delays.push(backoff.next('p/c'));
  assert.deepEqual(delays, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
});

test('crash back-off starts over after twice the maximum without a restart', () => {
  let now = 0;
  const backoff = new Backoff({ now: () => now });
  backoff.next('k');
  backoff.next('k');
  assert.equal(backoff.delay('k'), 20_000);
  now = 600_001;
  assert.equal(backoff.remaining('k', now), 0);
  assert.equal(backoff.next('k'), 10_000);
});

test('forgetPrefix drops a pod\'s entries only', () => {
  const backoff = new Backoff();
  backoff.next('u1/a');
  backoff.next('u1/a');
  backoff.next('u2/a');
  backoff.next('u2/a');
  backoff.forgetPrefix('u1/');
  assert.equal(backoff.delay('u1/a'), 10_000);
  assert.equal(backoff.delay('u2/a'), 20_000);
});

test('Go-style durations', () => {
  assert.deepEqual([10_000, 40_000, 80_000, 300_000, 3_600_000].map(goDuration), ['10s', '40s', '1m20s', '5m0s', '1h0m0s']);
});
