import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goDuration, parseGoDuration } from '../../src/agent/duration.ts';

test('Go-style durations', () => {
  assert.deepEqual([10_000, 40_000, 80_000, 300_000, 3_600_000].map(goDuration), ['10s', '40s', '1m20s', '5m0s', '1h0m0s']);
});

test('Go durations read from flags', () => {
  assert.deepEqual(['10s', '3s', '1m30s', '500ms', '1.5h', '0'].map(parseGoDuration), [10_000, 3_000, 90_000, 500, 5_400_000, 0]);
  assert.deepEqual(['', '10', 's', '10x', '1m 2s', '-1s'].map(parseGoDuration), [undefined, undefined, undefined, undefined, undefined, undefined]);
});
