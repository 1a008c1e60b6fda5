import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeconfig } from '../../src/client/config.ts';
import { resourcePath } from '../../src/client/paths.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('loadKubeconfig', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-kubeconfig-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA FROM FILE');
    writeFileSync(
      join(dir, 'config'),
      `apiVersion: v1
kind: Config
current-context: admin@peapod
clusters:
- name: peapod
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: ${b64('CA PEM')}
- name: other
  cluster:
    server: http://127.0.0.1:8080
    certificate-authority: ca.pem
contexts:
- name: admin@peapod
  context: {cluster: peapod, user: admin, namespace: default}
- name: node@other
  context: {cluster: other, user: node}
- name: broken
  context: {cluster: missing, user: admin}
users:
- name: admin
  user:
    client-certificate-data: ${b64('CERT PEM')}
    client-key-data: ${b64('KEY PEM')}
- name: node
  user:
    token: abc.def
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('reads the current context with embedded data', async () => {
    const config = await loadKubeconfig(join(dir, 'config'));
    assert.equal(config.server, 'https://127.0.0.1:6443');
    assert.equal(config.ca?.toString(), 'CA PEM');
    assert.equal(config.cert?.toString(), 'CERT PEM');
    assert.equal(config.key?.toString(), 'KEY PEM');
    assert.equal(config.token, undefined);
  });

  test('reads a named context with a token and a file reference relative to the kubeconfig', async () => {
    const config = await loadKubeconfig(join(dir, 'config'), 'node@other');
    assert.equal(config.server, 'http://127.0.0.1:8080');
    assert.equal(config.token, 'abc.def');
    assert.equal(config.ca?.toString(), 'CA FROM FILE');
  });

  test('names what is missing', async () => {
    await assert.rejects(loadKubeconfig(join(dir, 'config'), 'nope'), /context "nope" not found/);
    await assert.rejects(loadKubeconfig(join(dir, 'config'), 'broken'), /cluster "missing" not found/);
  });
});

describe('resourcePath', () => {
  test('core and named groups, namespaced and cluster-scoped, with subresources', () => {
    assert.equal(resourcePath({ version: 'v1', resource: 'pods', namespace: 'ns', name: 'web-0', subresource: 'status' }), '/api/v1/namespaces/ns/pods/web-0/status');
    assert.equal(resourcePath({ version: 'v1', resource: 'pods' }), '/api/v1/pods');
    assert.equal(resourcePath({ group: 'apps', version: 'v1', resource: 'deployments', namespace: 'default' }), '/apis/apps/v1/namespaces/default/deployments');
    assert.equal(resourcePath({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease', name: 'n1' }), '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
    assert.equal(resourcePath({ group: '', version: 'v1', resource: 'nodes', name: 'n1' }), '/api/v1/nodes/n1');
  });

  test('refuses a subresource without a name and unsafe segments', () => {
    assert.throws(() => resourcePath({ version: 'v1', resource: 'pods', subresource: 'status' }), /needs a name/);
    assert.throws(() => resourcePath({ version: 'v1', resource: 'pods', namespace: '..' }), /invalid path segment/);
    assert.equal(resourcePath({ version: 'v1', resource: 'pods', namespace: 'a', name: 'x/y' }), '/api/v1/namespaces/a/pods/x%2Fy');
  });
});
