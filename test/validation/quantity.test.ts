import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Quantity, quantityFormatError } from '../../src/api/quantity.ts';

test('canonical forms match what kube-apiserver writes back', () => {
  const cases: [string, string][] = [
    ['100m', '100m'], ['1Gi', '1Gi'], ['1e3', '1e3'], ['0.5', '500m'], ['1000m', '1'], ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'], ['1024Ki', '1Mi'], ['12000', '12k'], ['1500', '1500'], ['0.1n', '1n'], ['0Gi', '0'], ['512', '512'],
  ];
  for (const [input, want] of cases) assert.equal(Quantity.parse(input).toString(), want, input);
});

test('milli-value and value round up', () => {
  assert.equal(Quantity.parse('100m').milliValue(), 100);
  assert.equal(Quantity.parse('1.5').value(), 2);
  assert.equal(Quantity.parse('1Ki').value(), 1024);
});

test('compare across suffixes', () => {
  assert.equal(Quantity.parse('1').cmp(Quantity.parse('1000m')), 0);
  assert.equal(Quantity.parse('1Gi').cmp(Quantity.parse('1G')), 1);
  assert.equal(Quantity.parse('500m').cmp(Quantity.parse('1')), -1);
});

test('malformed quantities fail with Kubernetes messages', () => {
  assert.throws(() => Quantity.parse('abc'), { message: quantityFormatError });
  assert.throws(() => Quantity.parse(''), { message: quantityFormatError });
  assert.throws(() => Quantity.parse('1.2.3'), { message: 'unable to parse numeric part of quantity' });
  assert.throws(() => Quantity.parse('1Kii'), { message: "unable to parse quantity's suffix" });
});

test('a raw field: numbers and strings parsed, anything else 0', () => {
  assert.equal(Quantity.milliOrZero('250m'), 250);
  assert.equal(Quantity.milliOrZero(2), 2000);
  assert.equal(Quantity.valueOrZero('1Mi'), 1048576);
  assert.equal(Quantity.valueOrZero('1500m'), 2);
  for (const raw of [undefined, null, 'abc', {}, true]) {
    assert.equal(Quantity.milliOrZero(raw), 0);
    assert.equal(Quantity.valueOrZero(raw), 0);
  }
});
