import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourcePath } from '../../src/api/http/requestinfo.ts';

const q = (s = '') => new URLSearchParams(s);

test('namespaced object with subresource', () => {
  assert.deepEqual(parseResourcePath('GET', '/api/v1/namespaces/default/pods/web/status', q()), {
    group: '', version: 'v1', namespace: 'default', resource: 'pods', name: 'web', subresource: 'status', verb: 'get',
  });
});

test('group collection across namespaces, watch and list', () => {
  assert.equal(parseResourcePath('GET', '/apis/apps/v1/deployments', q('watch=true'))?.verb, 'watch');
  const r = parseResourcePath('GET', '/apis/apps/v1/deployments', q());
  assert.deepEqual([r?.group, r?.namespace, r?.resource, r?.verb], ['apps', '', 'deployments', 'list']);
});

test('namespace object and its status/finalize subresources', () => {
  const ns = parseResourcePath('GET', '/api/v1/namespaces/kube-system', q());
  assert.deepEqual([ns?.resource, ns?.name, ns?.namespace], ['namespaces', 'kube-system', 'kube-system']);
  const fin = parseResourcePath('PUT', '/api/v1/namespaces/x/finalize', q());
  assert.deepEqual([fin?.resource, fin?.name, fin?.subresource, fin?.verb], ['namespaces', 'x', 'finalize', 'update']);
});

test('verbs by method and name', () => {
  assert.equal(parseResourcePath('POST', '/api/v1/namespaces/d/pods', q())?.verb, 'create');
  assert.equal(parseResourcePath('DELETE', '/api/v1/namespaces/d/pods', q())?.verb, 'deletecollection');
  assert.equal(parseResourcePath('DELETE', '/api/v1/namespaces/d/pods/x', q())?.verb, 'delete');
  assert.equal(parseResourcePath('PATCH', '/api/v1/nodes/n1/status', q())?.verb, 'patch');
  assert.equal(parseResourcePath('OPTIONS', '/api/v1/nodes', q()), undefined);
});

test('non-resource paths are not resources', () => {
  for (const p of ['/api', '/api/v1', '/apis', '/apis/apps', '/apis/apps/v1', '/version', '/openapi/v3', '/api/v1/namespaces/d/pods/x/log/extra']) {
    assert.equal(parseResourcePath('GET', p, q()), undefined, p);
  }
});
