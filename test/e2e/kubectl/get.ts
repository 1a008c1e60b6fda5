// kubectl get: the server-side pod table (default and wide), every -o format, label and field
// selectors, all namespaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse as parseYaml } from 'yaml';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { documents, nodeManifest, podManifest } from '../../support/manifests.ts';
import { parseTable, rowWhere } from '../../support/table.ts';
import { age, lines, type Cluster } from './context.ts';

export function getTests(cluster: Cluster): void {
  test('get pod prints the default pod table', async () => {
    await cluster.create(podManifest('web', { labels: { app: 'web' } }), ['pod/web created']);
    const { stdout, stderr } = await cluster.ok(['get', 'pod', 'web']);
    assert.equal(stderr, '');
    const [header, row, ...rest] = stdout.split('\n');
    assert.equal(header, 'NAME   READY   STATUS    RESTARTS   AGE');
    assert.match(row!, new RegExp(`^web    0/1     Pending   0          ${age}$`));
    assert.deepEqual(rest, ['']);
  });

  test('get pod -o wide adds IP, node, nominated node and readiness gates', async () => {
    await cluster.create(podManifest('wide', { labels: { app: 'wide' } }), ['pod/wide created']);
    const { stdout } = await cluster.ok(['get', 'pod', 'wide', '-o', 'wide']);
    const [header, row] = stdout.split('\n');
    assert.match(header!, /^NAME   READY   STATUS    RESTARTS   AGE {3,}IP {7}NODE {5}NOMINATED NODE   READINESS GATES$/);
    assert.match(row!, new RegExp(`^wide   0/1     Pending   0          ${age} +<none>   <none>   <none>           <none>$`));
    assert.deepEqual(parseTable(stdout), [
      {
        NAME: 'wide',
        READY: '0/1',
        STATUS: 'Pending',
        RESTARTS: '0',
        AGE: rowAge(stdout),
        IP: '<none>',
        NODE: '<none>',
        'NOMINATED NODE': '<none>',
        'READINESS GATES': '<none>',
      },
    ]);
  });

  test('get -o yaml shows the defaulted pod', async () => {
    const manifest = podManifest('dflt', { containers: { tagged: 'nginx:1.25', latest: 'busybox:latest', untagged: 'busybox' } });
    await cluster.create(manifest, ['pod/dflt created']);
    const { stdout } = await cluster.ok(['get', 'pod', 'dflt', '-o', 'yaml']);
    const pod = parseYaml(stdout) as Pod;
    assert.equal(pod.apiVersion, 'v1');
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.metadata?.namespace, 'default');
    assert.match(pod.metadata?.uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(pod.metadata?.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(pod.metadata?.resourceVersion ?? '', /^[1-9]\d*$/);
    const spec = pod.spec!;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.enableServiceLinks, true);
    assert.deepEqual(spec.securityContext, {});
    const pullPolicies = Object.fromEntries(spec.containers.map((c) => [c.name, c.imagePullPolicy]));
    assert.deepEqual(pullPolicies, { tagged: 'IfNotPresent', latest: 'Always', untagged: 'Always' });
    for (const container of spec.containers) {
      assert.equal(container.terminationMessagePath, '/dev/termination-log', container.name);
      assert.equal(container.terminationMessagePolicy, 'File', container.name);
      assert.deepEqual(container.resources, {}, container.name);
    }
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(pod.status?.qosClass, 'BestEffort');
  });

  test('get -o json prints the Pod, and a List for several', async () => {
    await cluster.create(documents(podManifest('js-1', { labels: { suite: 'json' } }), podManifest('js-2', { labels: { suite: 'json' } })), [
      'pod/js-1 created',
      'pod/js-2 created',
    ]);
    const one = JSON.parse((await cluster.ok(['get', 'pod', 'js-1', '-o', 'json'])).stdout) as Pod;
    assert.equal(one.kind, 'Pod');
    assert.equal(one.metadata?.name, 'js-1');
    const list = JSON.parse((await cluster.ok(['get', 'pods', '-l', 'suite=json', '-o', 'json'])).stdout) as {
      kind: string;
      apiVersion: string;
      items: Pod[];
    };
    assert.equal(list.kind, 'List');
    assert.equal(list.apiVersion, 'v1');
    assert.deepEqual(list.items.map((p) => `${p.kind} ${p.apiVersion} ${p.metadata?.name}`), ['Pod v1 js-1', 'Pod v1 js-2']);
  });

  test('get -o jsonpath and -o name', async () => {
    await cluster.create(podManifest('jp', { labels: { app: 'jp' }, containers: { app: 'nginx:1.25', side: 'busybox:1.36' } }), ['pod/jp created']);
    assert.equal(await cluster.jsonpath('jp', '{.spec.containers[*].name}'), 'app side');
    assert.equal(await cluster.jsonpath('jp', '{range .spec.containers[*]}{.name}={.image};{end}'), 'app=nginx:1.25;side=busybox:1.36;');
    assert.equal((await cluster.ok(['get', 'pod', 'jp', '-o', 'name'])).stdout, 'pod/jp\n');
  });

  test('get -l filters with equality and set-based selectors', async () => {
    await cluster.create(
      documents(
        podManifest('sel-a', { labels: { suite: 'sel', env: 'a', tier: 'web' } }),
        podManifest('sel-b', { labels: { suite: 'sel', env: 'b' } }),
        podManifest('sel-c', { labels: { suite: 'sel', env: 'c', tier: 'db' } }),
      ),
      ['pod/sel-a created', 'pod/sel-b created', 'pod/sel-c created'],
    );
    const names = async (selector: string) => (await cluster.ok(['get', 'pods', '-l', selector, '-o', 'name'])).stdout;
    assert.equal(await names('suite=sel,env=a'), lines(['pod/sel-a']));
    assert.equal(await names('suite=sel,env==b'), lines(['pod/sel-b']));
    assert.equal(await names('suite=sel,env in (a,b)'), lines(['pod/sel-a', 'pod/sel-b']));
    assert.equal(await names('suite=sel,env notin (a)'), lines(['pod/sel-b', 'pod/sel-c']));
    assert.equal(await names('suite=sel,!tier'), lines(['pod/sel-b']));
    assert.equal(await names('suite=sel,tier'), lines(['pod/sel-a', 'pod/sel-c']));
    assert.equal(await names('suite=sel,tier!=web'), lines(['pod/sel-b', 'pod/sel-c']));
  });

  test('get --field-selector on name, phase and node', async () => {
    await cluster.create(nodeManifest('fs-node'), ['node/fs-node created']);
    await cluster.create(
      documents(podManifest('fs-1', { labels: { suite: 'fs' } }), podManifest('fs-2', { labels: { suite: 'fs' }, nodeName: 'fs-node' })),
      ['pod/fs-1 created', 'pod/fs-2 created'],
    );
    const names = async (...args: string[]) => (await cluster.ok(['get', 'pods', ...args, '-o', 'name'])).stdout;
    assert.equal(await names('--field-selector', 'metadata.name=fs-1'), lines(['pod/fs-1']));
    assert.equal(await names('-l', 'suite=fs', '--field-selector', 'status.phase=Pending'), lines(['pod/fs-1', 'pod/fs-2']));
    assert.equal(await names('-l', 'suite=fs', '--field-selector', 'status.phase!=Pending'), '');
    assert.equal(await names('--field-selector', 'spec.nodeName=fs-node'), lines(['pod/fs-2']));
    assert.equal(await names('-l', 'suite=fs', '--field-selector', 'spec.nodeName='), lines(['pod/fs-1']));
    assert.equal(await names('-l', 'suite=fs', '--field-selector', 'metadata.name!=fs-1,status.phase=Pending'), lines(['pod/fs-2']));
    const table = await cluster.ok(['get', 'pods', '-l', 'suite=fs', '--field-selector', 'status.phase=Running']);
    assert.deepEqual({ stdout: table.stdout, stderr: table.stderr }, { stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  test('get -A adds the NAMESPACE column', async () => {
    await cluster.create('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: e2e-all\n', ['namespace/e2e-all created']);
    await cluster.create(podManifest('ns-pod', { namespace: 'e2e-all' }), ['pod/ns-pod created']);
    const { stdout } = await cluster.ok(['get', 'pods', '-A']);
    assert.match(stdout.split('\n')[0]!, /^NAMESPACE {3,}NAME {3,}READY {3,}STATUS {3,}RESTARTS {3,}AGE$/);
    const row = rowWhere(parseTable(stdout), 'NAME', 'ns-pod');
    assert.deepEqual({ ...row, AGE: '' }, { NAMESPACE: 'e2e-all', NAME: 'ns-pod', READY: '0/1', STATUS: 'Pending', RESTARTS: '0', AGE: '' });
    assert.match(row.AGE!, new RegExp(`^${age}$`));
  });
}

function rowAge(table: string): string {
  const row = parseTable(table)[0];
  assert.ok(row?.AGE && new RegExp(`^${age}$`).test(row.AGE), `AGE cell in:\n${table}`);
  return row.AGE;
}
