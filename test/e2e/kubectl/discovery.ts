// api-resources, version and cluster-info: what kubectl learns about the server before anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../support/wait.ts';
import { stripVTControlCharacters } from 'node:util';
import { parseTable, rowWhere } from '../../support/table.ts';
import type { Cluster } from './context.ts';

export function discoveryTests(cluster: Cluster): void {
  test('api-resources lists pods, deployments, leases and namespaces', async () => {
    const { stdout } = await cluster.ok(['api-resources']);
    assert.match(stdout.split('\n')[0]!, /^NAME {3,}SHORTNAMES {3,}APIVERSION {3,}NAMESPACED {3,}KIND$/);
    const rows = parseTable(stdout);
    const expected = [
      { NAME: 'pods', SHORTNAMES: 'po', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Pod' },
      { NAME: 'deployments', SHORTNAMES: 'deploy', APIVERSION: 'apps/v1', NAMESPACED: 'true', KIND: 'Deployment' },
      { NAME: 'leases', SHORTNAMES: '', APIVERSION: 'coordination.k8s.io/v1', NAMESPACED: 'true', KIND: 'Lease' },
      { NAME: 'namespaces', SHORTNAMES: 'ns', APIVERSION: 'v1', NAMESPACED: 'false', KIND: 'Namespace' },
      { NAME: 'nodes', SHORTNAMES: 'no', APIVERSION: 'v1', NAMESPACED: 'false', KIND: 'Node' },
      { NAME: 'events', SHORTNAMES: 'ev', APIVERSION: 'v1', NAMESPACED: 'true', KIND: 'Event' },
    ];
    for (const row of expected) {
      const matches = rows.filter((r) => r.NAME === row.NAME && r.APIVERSION === row.APIVERSION);
      assert.equal(matches.length, 1, `one ${row.NAME} ${row.APIVERSION} row in:\n${stdout}`);
      assert.deepEqual(matches[0], row);
    }
  });

  test('version -o json reports a 1.32 server', async () => {
    const { stdout } = await cluster.ok(['version', '-o', 'json']);
    const version = JSON.parse(stdout) as {
      clientVersion: { major: string; minor: string };
      serverVersion?: { major: string; minor: string; gitVersion: string; platform: string };
    };
    assert.equal(version.clientVersion.minor, '32');
    assert.ok(version.serverVersion, `no serverVersion in ${stdout}`);
    assert.equal(version.serverVersion.major, '1');
    assert.equal(version.serverVersion.minor, '32');
    assert.match(version.serverVersion.gitVersion, /^v1\.32\.\d+/);
    assert.equal(version.serverVersion.platform, 'linux/amd64');
  });

  test('cluster-info names the control plane URL', async () => {
    const { stdout, stderr } = await cluster.ok(['cluster-info']);
    assert.equal(stderr, '');
    assert.equal(
      stripVTControlCharacters(stdout),
      `Kubernetes control plane is running at ${cluster.server.url}\n\n` +
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n",
    );
  });

  test('get namespaces shows the four system namespaces as Active', async () => {
    const { stdout } = await cluster.ok(['get', 'namespaces']);
    assert.match(stdout.split('\n')[0]!, /^NAME {3,}STATUS {3,}AGE$/);
    const rows = parseTable(stdout);
    for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
      assert.equal(rowWhere(rows, 'NAME', name).STATUS, 'Active');
    }
  });

  test('every namespace gets a default service account, also a new one', async () => {
    assert.equal((await cluster.ok(['create', 'namespace', 'sa-check'])).stdout, 'namespace/sa-check created\n');
    await eventually('the default service account of sa-check', async () => {
      const result = await cluster.run(['get', 'serviceaccount', 'default', '-n', 'sa-check', '-o', 'name']);
      return result.code === 0 && result.stdout === 'serviceaccount/default\n' ? true : undefined;
    }, 10_000, 100);
    const { stdout } = await cluster.ok(['get', 'serviceaccounts', '-A', '-o', 'jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name} {end}']);
    for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(stdout.includes(`${ns}/default `), stdout);
  });
}
