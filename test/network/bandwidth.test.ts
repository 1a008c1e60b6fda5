import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podBandwidth } from '../../src/agent/network/bandwidth.ts';
import { NetworkError } from '../../src/agent/network/errors.ts';

const maxInt32 = 2 ** 31 - 1;

test('no bandwidth annotations: no bandwidth plugin', () => {
  assert.equal(podBandwidth({}), undefined);
  assert.equal(podBandwidth(undefined), undefined);
  assert.equal(podBandwidth({ 'kubernetes.io/ingress-burst': '1M' }), undefined);
});

test('quantities are bits per second, with an unlimited burst', () => {
  assert.deepEqual(podBandwidth({ 'kubernetes.io/ingress-bandwidth': '1M' }), { ingressRate: 1_000_000, ingressBurst: maxInt32 });
  assert.deepEqual(podBandwidth({ 'kubernetes.io/egress-bandwidth': '10Mi' }), { egressRate: 10 * 1024 * 1024, egressBurst: maxInt32 });
  assert.deepEqual(podBandwidth({ 'kubernetes.io/ingress-bandwidth': '100k', 'kubernetes.io/egress-bandwidth': '1.5k' }), {
    ingressRate: 100_000,
    ingressBurst: maxInt32,
    egressRate: 1500,
    egressBurst: maxInt32,
  });
  assert.deepEqual(podBandwidth({ 'kubernetes.io/ingress-bandwidth': '1k' }), { ingressRate: 1000, ingressBurst: maxInt32 });
  assert.deepEqual(podBandwidth({ 'kubernetes.io/egress-bandwidth': '1P' }), { egressRate: 1e15, egressBurst: maxInt32 });
});

function rejects(annotations: Record<string, string>, message: string): void {
  assert.throws(
    () => podBandwidth(annotations),
    (error: unknown) => {
      assert.ok(error instanceof NetworkError);
      assert.equal(error.code, 'InvalidBandwidth');
      assert.equal(error.message, message);
      return true;
    },
  );
}

test('values outside 1k..1P are refused with the kubelet messages', () => {
  rejects({ 'kubernetes.io/ingress-bandwidth': '999' }, 'invalid pod annotation kubernetes.io/ingress-bandwidth="999": resource is unreasonably small (< 1kbit)');
  rejects({ 'kubernetes.io/egress-bandwidth': '0' }, 'invalid pod annotation kubernetes.io/egress-bandwidth="0": resource is unreasonably small (< 1kbit)');
  rejects({ 'kubernetes.io/egress-bandwidth': '2P' }, 'invalid pod annotation kubernetes.io/egress-bandwidth="2P": resource is unreasonably large (> 1Pbit)');
  rejects({ 'kubernetes.io/egress-bandwidth': '1Pi' }, 'invalid pod annotation kubernetes.io/egress-bandwidth="1Pi": resource is unreasonably large (> 1Pbit)');
});

test('malformed quantities are refused with the quantity parser messages', () => {
  rejects(
    { 'kubernetes.io/ingress-bandwidth': '10 Mbit' },
    `invalid pod annotation kubernetes.io/ingress-bandwidth="10 Mbit": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  );
  rejects({ 'kubernetes.io/ingress-bandwidth': '1.2.3M' }, 'invalid pod annotation kubernetes.io/ingress-bandwidth="1.2.3M": unable to parse numeric part of quantity');
  rejects({ 'kubernetes.io/egress-bandwidth': '1Mk' }, `invalid pod annotation kubernetes.io/egress-bandwidth="1Mk": unable to parse quantity's suffix`);
});

test('the ingress annotation is checked first, as the kubelet does', () => {
  rejects({ 'kubernetes.io/egress-bandwidth': 'x', 'kubernetes.io/ingress-bandwidth': '1' }, 'invalid pod annotation kubernetes.io/ingress-bandwidth="1": resource is unreasonably small (< 1kbit)');
});
