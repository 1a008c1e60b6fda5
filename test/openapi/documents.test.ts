import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { serveOpenAPI } from '../../src/api/openapi/handler.ts';
import { groupVersionDocument } from '../../src/api/openapi/v3.ts';
import { swaggerDocument } from '../../src/api/openapi/v2.ts';
import { encodeSwaggerDocument } from '../../src/api/openapi/protobuf.ts';

function get(path: string, headers: Record<string, string> = {}, query = '') {
  const res = serveOpenAPI({ path, query: new URLSearchParams(query), headers });
  assert.ok(res, `${path} is an OpenAPI path`);
  return res;
}

describe('OpenAPI v3', () => {
  test('index lists every group/version with a hashed URL', () => {
    const index = JSON.parse(String(get('/openapi/v3').body)) as { paths: Record<string, { serverRelativeURL: string }> };
    assert.deepEqual(Object.keys(index.paths).sort(), ['api/v1', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/coordination.k8s.io/v1']);
    assert.match(index.paths['api/v1']!.serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=[0-9A-F]{128}$/);
  });

  test('PATCH operations carry the GVK and fieldValidation; strategic merge patch is offered', () => {
    const doc = groupVersionDocument('apis/apps/v1')!;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!.patch!;
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.equal(patch.operationId, 'patchAppsV1NamespacedDeployment');
    assert.deepEqual(patch.parameters!.map((p) => p.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force']);
    assert.ok(patch.requestBody!.content['application/strategic-merge-patch+json']);
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale']!.patch!;
    assert.deepEqual(scale['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.ok(doc.components.schemas['io.k8s.api.autoscaling.v1.Scale']);
  });

  test('core paths cover collections, items and subresources', () => {
    const doc = groupVersionDocument('api/v1')!;
    const pods = doc.paths['/api/v1/namespaces/{namespace}/pods']!;
    assert.equal(pods.get!['x-kubernetes-action'], 'list');
    assert.ok(pods.get!.parameters!.some((p) => p.name === 'labelSelector'));
    assert.equal(pods.post!.operationId, 'createCoreV1NamespacedPod');
    assert.equal(pods.delete!['x-kubernetes-action'], 'deletecollection');
    assert.equal(doc.paths['/api/v1/pods']!.get!.operationId, 'listCoreV1PodForAllNamespaces');
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/status']!.put!.operationId, 'replaceCoreV1NamespacedPodStatus');
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/binding']!.post!['x-kubernetes-group-version-kind'].kind, 'Binding');
    assert.equal(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}/exec']!.get!['x-kubernetes-action'], 'connect');
    assert.equal(doc.paths['/api/v1/nodes/{name}']!.get!.operationId, 'readCoreV1Node');
    const schemas = doc.components.schemas;
    assert.ok(schemas['io.k8s.api.core.v1.Pod'] && schemas['io.k8s.api.core.v1.PodList'] && schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']);
    assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'],
      { description: (schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] as { description: string }).description,
        format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] });
    assert.equal(schemas['io.k8s.api.apps.v1.Deployment'], undefined);
  });

  test('caching: immutable for the current hash, redirect for a stale one, 304 on a matching ETag', () => {
    const url = (JSON.parse(String(get('/openapi/v3').body)) as { paths: Record<string, { serverRelativeURL: string }> }).paths['api/v1']!.serverRelativeURL;
    const hash = new URL(url, 'http://x').searchParams.get('hash')!;
    const fresh = get('/openapi/v3/api/v1', {}, `hash=${hash}`);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers['cache-control'], 'public, immutable');
    assert.equal(fresh.headers.etag, `"${hash}"`);
    assert.equal(get('/openapi/v3/api/v1', {}, 'hash=OLD').status, 301);
    assert.equal(get('/openapi/v3/api/v1', { 'if-none-match': `"${hash}"` }).status, 304);
    assert.equal(get('/openapi/v3/apis/batch/v1').status, 404);
    assert.equal(serveOpenAPI({ path: '/api/v1/pods', query: new URLSearchParams(), headers: {} }), undefined);
  });
});

describe('OpenAPI v2', () => {
  test('swagger document uses #/definitions refs and body parameters', () => {
    const doc = swaggerDocument();
    const patch = doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']!.patch!;
    assert.deepEqual(patch.consumes, ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);
    assert.equal(patch.parameters![0]!.in, 'body');
    assert.ok(patch.parameters!.some((p) => p.name === 'fieldValidation' && p.in === 'query' && p.type === 'string'));
    const spec = doc.definitions['io.k8s.api.core.v1.Pod']!.properties!.spec!;
    assert.equal(spec.$ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
    assert.equal(spec.allOf, undefined);
    assert.ok(doc.definitions['io.k8s.api.apps.v1.Deployment']);
  });

  test('negotiates JSON, protobuf or 406', () => {
    const proto = get('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(proto.status, 200);
    assert.ok(Buffer.isBuffer(proto.body));
    const json = get('/openapi/v2', { accept: 'application/json' });
    assert.equal(JSON.parse(String(json.body)).swagger, '2.0');
    assert.equal(get('/openapi/v2', { accept: 'text/html' }).status, 406);
  });

  test('protobuf starts with the swagger field and carries vendor extensions as YAML', () => {
    const bytes = encodeSwaggerDocument(swaggerDocument());
    // Field 1 (swagger), wire type 2, length 3, "2.0".
    assert.deepEqual([...bytes.subarray(0, 5)], [0x0a, 3, 0x32, 0x2e, 0x30]);
    assert.ok(bytes.includes(Buffer.from('x-kubernetes-group-version-kind')));
    assert.ok(bytes.includes(Buffer.from('[{"group":"","version":"v1","kind":"Pod"}]\n')));
  });
});
