import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wantsTable, acceptsPlainJson } from '../../src/api/http/negotiate.ts';

const kubectlGet = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

test('kubectl get asks for a Table first', () => {
  assert.equal(wantsTable(kubectlGet), true);
});

test('plain JSON, protobuf-first and wildcard accepts get JSON', () => {
  assert.equal(wantsTable('application/json'), false);
  assert.equal(wantsTable('application/vnd.kubernetes.protobuf,application/json'), false);
  assert.equal(wantsTable(undefined), false);
  assert.equal(wantsTable('application/json, */*'), false);
  assert.equal(acceptsPlainJson('application/vnd.kubernetes.protobuf, */*'), true);
});

test('JSON before Table means JSON', () => {
  assert.equal(wantsTable('application/json,application/json;as=Table;v=v1;g=meta.k8s.io'), false);
});
