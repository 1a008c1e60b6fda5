import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { SimpleRequest, SimpleResponse } from '../../src/api/http/response.ts';
import { discoveryFormat, serveDiscovery, serveHealth, serveVersion } from '../../src/api/discovery/index.ts';

const acceptV2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const acceptV2beta1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

function get(path: string, headers: Record<string, string> = {}): SimpleRequest {
  const url = new URL(path, 'https://peapod');
  return { path: url.pathname, query: url.searchParams, headers };
}

function json(res: SimpleResponse | undefined): any {
  assert.ok(res, 'expected a response');
  return JSON.parse(String(res.body));
}

describe('discovery negotiation', () => {
  test('v2 only when listed, else v2beta1, else legacy', () => {
    assert.equal(discoveryFormat(acceptV2), 'v2');
    assert.equal(discoveryFormat(acceptV2beta1), 'v2beta1');
    assert.equal(discoveryFormat('application/json, */*'), 'legacy');
    assert.equal(discoveryFormat(undefined), 'legacy');
  });

  test('/api aggregated v2: core group, content type selects the parser', () => {
    const res = serveDiscovery(get('/api', { accept: acceptV2 }));
    assert.equal(res?.status, 200);
    assert.equal(res?.headers['Content-Type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
    assert.equal(res?.headers.Vary, 'Accept');
    const doc = json(res);
    assert.equal(doc.kind, 'APIGroupDiscoveryList');
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2');
    assert.equal(doc.items.length, 1);
    assert.equal(doc.items[0].metadata.name, '');
    const v1 = doc.items[0].versions[0];
    assert.equal(v1.version, 'v1');
    assert.equal(v1.freshness, 'Current');
    const pods = v1.resources.find((r: any) => r.resource === 'pods');
    assert.deepEqual(pods.responseKind, { group: '', version: 'v1', kind: 'Pod' });
    assert.equal(pods.scope, 'Namespaced');
    assert.equal(pods.singularResource, 'pod');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    assert.deepEqual(pods.subresources.map((s: any) => s.subresource), ['attach', 'binding', 'exec', 'log', 'portforward', 'status']);
    assert.deepEqual(pods.subresources.find((s: any) => s.subresource === 'exec'),
      { subresource: 'exec', responseKind: { group: '', version: 'v1', kind: 'PodExecOptions' }, verbs: ['create', 'get'] });
    const nodes = v1.resources.find((r: any) => r.resource === 'nodes');
    assert.equal(nodes.scope, 'Cluster');
    assert.ok(v1.resources.some((r: any) => r.resource === 'services'), 'services (kubectl cluster-info)');
  });

  test('/apis aggregated v2beta1 for older clients: named groups, scale in autoscaling/v1', () => {
    const res = serveDiscovery(get('/apis', { accept: acceptV2beta1 }));
    assert.equal(res?.headers['Content-Type'], 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList');
    const doc = json(res);
    assert.equal(doc.apiVersion, 'apidiscovery.k8s.io/v2beta1');
    const names = doc.items.map((g: any) => g.metadata.name);
    assert.ok(names.includes('apps') && names.includes('coordination.k8s.io') && !names.includes(''));
    const apps = doc.items.find((g: any) => g.metadata.name === 'apps');
    const deployments = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    assert.deepEqual(deployments.responseKind, { group: 'apps', version: 'v1', kind: 'Deployment' });
    assert.deepEqual(deployments.subresources.find((s: any) => s.subresource === 'scale').responseKind,
      { group: 'autoscaling', version: 'v1', kind: 'Scale' });
  });

  test('an unchanged aggregated document answers If-None-Match with 304', () => {
    const first = serveDiscovery(get('/apis', { accept: acceptV2 }));
    const etag = first?.headers.ETag ?? '';
    assert.match(etag, /^"[0-9a-f]{64}"$/);
    const again = serveDiscovery(get('/apis', { accept: acceptV2, 'if-none-match': etag }));
    assert.equal(again?.status, 304);
    assert.equal(again?.body, '');
  });
});

describe('legacy discovery', () => {
  test('/api → APIVersions with the address the client used', () => {
    const res = serveDiscovery(get('/api', { accept: 'application/json', host: '127.0.0.1:6443' }));
    assert.equal(res?.headers['Content-Type'], 'application/json');
    assert.equal(res?.headers.Vary, 'Accept');
    assert.deepEqual(json(res), {
      kind: 'APIVersions', versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }],
    });
  });

  test('/apis → APIGroupList with preferred versions; /apis/apps → APIGroup', () => {
    const list = json(serveDiscovery(get('/apis')));
    assert.equal(list.kind, 'APIGroupList');
    const apps = list.groups.find((g: any) => g.name === 'apps');
    assert.deepEqual(apps, { name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }], preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } });
    assert.deepEqual(json(serveDiscovery(get('/apis/apps'))), { kind: 'APIGroup', apiVersion: 'v1', ...apps });
  });

  test('/api/v1 → one entry per resource and per subresource', () => {
    const list = json(serveDiscovery(get('/api/v1')));
    assert.equal(list.kind, 'APIResourceList');
    assert.equal(list.groupVersion, 'v1');
    const byName = new Map(list.resources.map((r: any) => [r.name, r]));
    assert.deepEqual(byName.get('pods'), {
      name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['po'], categories: ['all'],
    });
    assert.deepEqual(byName.get('pods/log'), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] });
    assert.equal((byName.get('namespaces') as any).namespaced, false);
    const names = list.resources.map((r: any) => r.name);
    assert.deepEqual(names, [...names].sort(), 'sorted by name like kube-apiserver');
  });

  test('/apis/apps/v1 names the group of deployments/scale', () => {
    const list = json(serveDiscovery(get('/apis/apps/v1')));
    assert.equal(list.groupVersion, 'apps/v1');
    const scale = list.resources.find((r: any) => r.name === 'deployments/scale');
    assert.deepEqual(scale, { name: 'deployments/scale', singularName: '', namespaced: true, kind: 'Scale', verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' });
  });

  test('unknown groups and versions → the generic 404 Status', () => {
    for (const path of ['/api/v2', '/apis/nope', '/apis/apps/v2', '/apis/nope/v1']) {
      const res = serveDiscovery(get(path));
      assert.equal(res?.status, 404, path);
      assert.deepEqual(json(res), {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure',
        message: 'the server could not find the requested resource', reason: 'NotFound', details: {}, code: 404,
      });
    }
  });

  test('resource paths and other paths are not discovery', () => {
    for (const path of ['/api/v1/pods', '/apis/apps/v1/deployments', '/openapi/v3', '/version', '/api/', '/apis//v1']) {
      assert.equal(serveDiscovery(get(path)), undefined, path);
    }
  });
});

describe('version and health', () => {
  test('/version reports 1.32', () => {
    const info = json(serveVersion(get('/version?timeout=32s')));
    assert.equal(info.major, '1');
    assert.equal(info.minor, '32');
    assert.equal(info.gitVersion, 'v1.32.0-peapod');
    assert.match(info.platform, /^linux\//);
    for (const field of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler']) assert.equal(typeof info[field], 'string', field);
    assert.equal(serveVersion(get('/versions')), undefined);
  });

  test('health endpoints answer ok, readiness waits for startup', () => {
    for (const path of ['/healthz', '/livez', '/readyz']) {
      const res = serveHealth(get(path), true);
      assert.equal(res?.status, 200);
      assert.equal(res?.body, 'ok');
      assert.equal(res?.headers['Content-Type'], 'text/plain; charset=utf-8');
    }
    assert.equal(serveHealth(get('/livez'), false)?.status, 200);
    const notReady = serveHealth(get('/readyz'), false);
    assert.equal(notReady?.status, 500);
    assert.equal(notReady?.body, '[+]ping ok\n[-]startup failed: reason withheld\nreadyz check failed\n');
    assert.equal(serveHealth(get('/livez?verbose'), true)?.body, '[+]ping ok\nlivez check passed\n');
    assert.equal(serveHealth(get('/api'), true), undefined);
  });
});
