import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FieldSet, pathString } from '../../src/api/patch/fieldset.ts';

describe('FieldSet', () => {
  const fieldsV1 = {
    'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
    'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
  };

  test('FieldsV1 round trip, keys in structured-merge-diff order', () => {
    const set = FieldSet.fromFieldsV1(fieldsV1);
    assert.equal(JSON.stringify(set.toFieldsV1()), JSON.stringify(fieldsV1));
    const b = new FieldSet();
    b.insert([{ index: 1 }]);
    b.insert([{ value: 'x' }]);
    b.insert([{ key: [['name', 'a']] }]);
    b.insert([{ field: 'z' }]);
    assert.deepEqual(Object.keys(b.toFieldsV1()), ['f:z', 'k:{"name":"a"}', 'v:"x"', 'i:1']);
  });

  test('paths print as conflict fields', () => {
    const paths = FieldSet.fromFieldsV1(fieldsV1).paths().map(pathString);
    assert.deepEqual(paths, ['.metadata.labels', '.metadata.labels.app', '.spec.containers[name="app"]',
      '.spec.containers[name="app"].image', '.spec.containers[name="app"].name']);
  });

  test('set algebra', () => {
    const a = FieldSet.fromFieldsV1({ 'f:a': {}, 'f:b': { 'f:c': {} } });
    const b = FieldSet.fromFieldsV1({ 'f:b': { 'f:c': {}, 'f:d': {} } });
    assert.deepEqual(a.intersection(b).toFieldsV1(), { 'f:b': { 'f:c': {} } });
    assert.deepEqual(a.difference(b).toFieldsV1(), { 'f:a': {} });
    assert.deepEqual(a.union(b).toFieldsV1(), { 'f:a': {}, 'f:b': { 'f:c': {}, 'f:d': {} } });
    assert.ok(a.difference(a).empty());
  });
});
