import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Backoff } from '../../src/client/backoff.ts';
import { FakeClock } from '../../src/client/clock.ts';

function setup(): { clock: FakeClock; backoff: Backoff } {
  const clock = new FakeClock();
  return { clock, backoff: new Backoff(10_000, 300_000, clock) };
}

describe('Backoff', () => {
  test('crash back-off: first restart at once, then 10 s doubling to 5 min, measured from the exit', () => {
    const { clock, backoff } = setup();
    assert.equal(backoff.remaining('p/c', clock.now()), 0);
    assert.equal(backoff.next('p/c'), 10_000);
    clock.step(1_000); // exited again after running 1 s
    assert.equal(backoff.remaining('p/c', 1_000), 10_000);
    clock.step(10_000);
    assert.equal(backoff.remaining('p/c', 1_000), 0);
    const delays = [];
    for (let i = 0; i < 7; i++) delays.push(backoff.next('p/c'));
    assert.deepEqual(delays, [20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000]);
  });

  test('in back-off while less than the delay has passed since the last failure', () => {
    const { clock, backoff } = setup();
    assert.equal(backoff.inBackOffSinceUpdate('k'), false);
    backoff.next('k');
    clock.step(9_999);
    assert.equal(backoff.inBackOffSinceUpdate('k'), true);
    clock.step(1);
    assert.equal(backoff.inBackOffSinceUpdate('k'), false);
    backoff.next('k');
    clock.step(19_999);
    assert.equal(backoff.inBackOffSinceUpdate('k'), true);
    assert.equal(backoff.inBackOffSinceUpdate('other'), false);
  });

  test('an entry starts over after twice the maximum without a failure', () => {
    const { clock, backoff } = setup();
    backoff.next('k');
    backoff.next('k');
    assert.equal(backoff.delay('k'), 20_000);
    clock.step(600_001);
    assert.equal(backoff.remaining('k', clock.now()), 0);
    assert.equal(backoff.next('k'), 10_000);
  });

  test('an exit more than twice the maximum after the last restart is not backed off, and starts over', () => {
    const { clock, backoff } = setup();
    for (let i = 0; i < 4; i++) backoff.next('k');
    assert.equal(backoff.delay('k'), 80_000);
    clock.step(600_001); // ran 10 min and then exited
    assert.equal(backoff.remaining('k', clock.now()), 0);
    assert.equal(backoff.next('k', clock.now()), 10_000);
    clock.step(5_000); // exited again 5 s later: back-off again
    assert.equal(backoff.remaining('k', clock.now()), 10_000);
  });

  test('gc drops expired entries only', () => {
    const { clock, backoff } = setup();
    backoff.next('old');
    clock.step(300_000);
    backoff.next('fresh');
    clock.step(300_001);
    backoff.gc();
    assert.equal(backoff.delay('old'), 0);
    assert.equal(backoff.delay('fresh'), 10_000);
  });

  test('forgetPrefix drops a pod\'s entries only', () => {
    const { backoff } = setup();
    backoff.next('u1/a');
    backoff.next('u1/a');
    backoff.next('u2/a');
    backoff.next('u2/a');
    backoff.forgetPrefix('u1/');
    assert.equal(backoff.delay('u1/a'), 0);
    assert.equal(backoff.delay('u2/a'), 20_000);
  });
});
