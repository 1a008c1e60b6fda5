import assert from 'node:assert/strict';
import { test } from 'node:test';
import { goDuration } from '../../src/agent/duration.ts';

test('Go-style durations', () => {
  assert.deepEqual([10_000, 40_000, 80_000, 300_000, 3_600_000].map(goDuration), ['10s', '40s', '1m20s', '5m0s', '1h0m0s']);
});
