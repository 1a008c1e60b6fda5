import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyJsonPatch } from '../../src/api/patch/jsonpatch.ts';
import { ApiError } from '../../src/api/errors.ts';

const pod = () => ({ metadata: { name: 'p', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } });

/** The jsonpatch error text a failing patch carries in details.causes[0].message. */
function failure(doc: unknown, patch: unknown): string {
  try {
    applyJsonPatch(doc, patch);
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 422);
    assert.equal(err.reason, 'Invalid');
    assert.equal(err.message, 'the server rejected our request due to an error in our request');
    assert.equal(err.details?.causes?.[0]?.reason, 'UnexpectedServerResponse');
    return err.details!.causes![0]!.message!;
  }
  assert.fail('patch applied');
}

describe('applyJsonPatch', () => {
  test('add, remove, replace, move, copy, test', () => {
    const doc = pod();
    const out = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/labels/app', value: 'web' },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'replace', path: '/metadata/name', value: 'q' },
      { op: 'add', path: '/spec/containers/-', value: { name: 'c' } },
      { op: 'add', path: '/spec/containers/0', value: { name: 'z' } },
      { op: 'remove', path: '/spec/containers/1' },
      { op: 'move', from: '/metadata/labels/app', path: '/metadata/labels/role' },
      { op: 'copy', from: '/spec/containers/0', path: '/spec/first' },
    ]);
    assert.deepEqual(out, {
      metadata: { name: 'q', labels: { tier: 'front', role: 'web' } },
      spec: { containers: [{ name: 'z' }, { name: 'b' }, { name: 'c' }], first: { name: 'z' } },
    });
    assert.deepEqual(doc, pod(), 'input untouched');
  });

  test('JSON pointer escapes ~0 and ~1', () => {
    const out = applyJsonPatch({ metadata: { annotations: {} } }, [
      { op: 'add', path: '/metadata/annotations/example.com~1a~0b', value: 'x' },
    ]);
    assert.deepEqual(out, { metadata: { annotations: { 'example.com/a~b': 'x' } } });
  });

  test('replace of a missing object key adds it, as evanphx/json-patch v4 does', () => {
    assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '/b', value: 2 }]), { a: 1, b: 2 });
  });

  test('negative indices count from the end', () => {
    assert.deepEqual(applyJsonPatch({ l: [1, 2, 3] }, [{ op: 'remove', path: '/l/-1' }]), { l: [1, 2] });
  });

  test('failures carry the jsonpatch error text', () => {
    assert.equal(failure(pod(), [{ op: 'remove', path: '/metadata/labels/nope' }]),
      "error in remove for path: '/metadata/labels/nope': Unable to remove nonexistent key: nope: missing value");
    assert.equal(failure(pod(), [{ op: 'test', path: '/metadata/name', value: 'x' }]), 'testing value /metadata/name failed: test failed');
    assert.equal(failure(pod(), [{ op: 'add', path: '/status/phase', value: 'x' }]),
      'add operation does not apply: doc is missing path: "/status/phase": missing value');
    assert.equal(failure(pod(), [{ op: 'replace', path: '/spec/containers/5', value: {} }]),
      'replace operation does not apply: doc is missing key: /spec/containers/5: missing value');
    assert.equal(failure(pod(), [{ op: 'add', path: '/spec/containers/9', value: {} }]),
      "error in add for path: '/spec/containers/9': Unable to access invalid index: 9: invalid index referenced");
    assert.equal(failure(pod(), [{ op: 'frob', path: '/a' }]), 'Unexpected kind: frob');
    assert.equal(failure(pod(), [{ path: '/a' }]), 'Unexpected kind: unknown');
    assert.equal(failure(pod(), [{ op: 'move', from: '/nope', path: '/a' }]),
      "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value");
  });

  test('an undecodable patch is 400 BadRequest', () => {
    assert.throws(() => applyJsonPatch(pod(), { op: 'add' }), (err: ApiError) =>
      err.code === 400 && err.reason === 'BadRequest' &&
      err.message === 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp');
    assert.throws(() => applyJsonPatch(pod(), { op: 'add' }, { fieldValidation: 'Ignore' }), (err: ApiError) =>
      err.code === 400 && err.message === 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    assert.throws(() => applyJsonPatch(pod(), [{ op: 'add', path: 3 }]), (err: ApiError) =>
      err.message === 'error decoding patch: json: cannot unmarshal number into Go struct field jsonPatchOp.path of type string');
  });
});
