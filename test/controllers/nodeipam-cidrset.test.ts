import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CidrSet, CidrSetError, noCIDRsRemainingMessage } from '../../src/controllers/nodeipam/cidrset.ts';

test('hands out subnets round robin and reuses a freed one only after the others', () => {
  const set = new CidrSet('10.99.0.0/22', 24);
  assert.equal(set.size, 4);
  assert.deepEqual([set.allocateNext(), set.allocateNext(), set.allocateNext()], ['10.99.0.0/24', '10.99.1.0/24', '10.99.2.0/24']);
  set.release('10.99.1.0/24');
  assert.equal(set.allocateNext(), '10.99.3.0/24');
  assert.equal(set.allocateNext(), '10.99.1.0/24');
  assert.throws(() => set.allocateNext(), (err: unknown) => err instanceof CidrSetError && err.exhausted && err.message === noCIDRsRemainingMessage);
  assert.equal(set.allocated, 4);
});

test('occupied subnets are skipped; a larger block occupies every subnet in it', () => {
  const set = new CidrSet('10.42.0.0/16', 24);
  assert.equal(set.size, 256);
  set.occupy('10.42.0.0/23');
  set.occupy('10.42.3.0/24');
  assert.deepEqual([set.allocateNext(), set.allocateNext()], ['10.42.2.0/24', '10.42.4.0/24']);
});

test('foreign and malformed CIDRs are refused', () => {
  const set = new CidrSet('10.42.0.0/16', 24);
  assert.equal(set.contains('10.43.0.0/24'), false);
  assert.throws(() => set.occupy('10.43.0.0/24'), /cidr 10.43.0.0\/24 is out the range of cluster cidr 10.42.0.0\/16/);
  assert.throws(() => new CidrSet('10.42.0.0/33', 24), /invalid IPv4 CIDR/);
  assert.throws(() => new CidrSet('10.42.0.0/16', 8), /mask size/);
  assert.throws(() => new CidrSet('10.0.0.0/8', 30), /too big/);
});
