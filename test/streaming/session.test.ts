// The session's terminal sizes: kubectl sends its size once, right after the upgrade, often before
// the process started and the route listens; that size must still reach the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalSizes, type TerminalSize } from '../../src/streaming/remotecommand/session.ts';

test('a listener added after sizes arrived gets the last one, then every later one', () => {
  const sizes = new TerminalSizes();
  sizes.push({ width: 91, height: 31 });
  sizes.push({ width: 90, height: 30 });
  const seen: TerminalSize[] = [];
  sizes.listen((size) => seen.push(size));
  sizes.push({ width: 100, height: 40 });
  assert.deepEqual(seen, [{ width: 90, height: 30 }, { width: 100, height: 40 }]);
});

test('a listener added before any size gets nothing until one arrives', () => {
  const sizes = new TerminalSizes();
  const seen: TerminalSize[] = [];
  sizes.listen((size) => seen.push(size));
  assert.deepEqual(seen, []);
  sizes.push({ width: 80, height: 24 });
  assert.deepEqual(seen, [{ width: 80, height: 24 }]);
});
