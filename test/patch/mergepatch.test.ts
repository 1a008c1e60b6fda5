import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch } from '../../src/api/patch/mergepatch.ts';
import { ApiError } from '../../src/api/errors.ts';

describe('applyMergePatch', () => {
  test('RFC 7386 examples', () => {
    const doc = { a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] };
    assert.deepEqual(applyMergePatch(doc, { a: 'z', c: { f: null }, l: [3] }), { a: 'z', c: { d: 'e' }, l: [3] });
    assert.deepEqual(doc, { a: 'b', c: { d: 'e', f: 'g' }, l: [1, 2] }, 'input untouched');
    assert.deepEqual(applyMergePatch({ a: 'b' }, { a: { b: 'c', n: null } }), { a: { b: 'c' } });
    assert.deepEqual(applyMergePatch({}, { a: { bb: { ccc: null } } }), { a: { bb: {} } });
  });

  test('labels: add and delete', () => {
    const pod = { metadata: { name: 'p', labels: { a: '1', b: '2' } } };
    assert.deepEqual(applyMergePatch(pod, { metadata: { labels: { a: null, c: '3' } } }), { metadata: { name: 'p', labels: { b: '2', c: '3' } } });
  });

  test('a null or scalar patch is 400 Invalid JSON Patch', () => {
    for (const patch of [null, 5, 'x']) {
      assert.throws(() => applyMergePatch({}, patch), (err: ApiError) => err.code === 400 && err.message === 'Invalid JSON Patch');
    }
  });
});
