// Deletion: graceful for a pod bound to a node (it stays, marked, until confirmed or forced),
// immediate for an unscheduled one, by selector, and `kubectl wait --for=delete`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlSpawn } from '../../support/kubectl.ts';
import { documents, nodeManifest, podManifest } from '../../support/manifests.ts';
import { lines, type Cluster } from './context.ts';

const forceWarning =
  'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. ' +
  'The resource may continue to run on the cluster indefinitely.\n';

export function deleteTests(cluster: Cluster): void {
  test('delete of a bound pod is graceful until --force', async () => {
    await cluster.create(nodeManifest('gd-node'), ['node/gd-node created']);
    await cluster.create(podManifest('gd', { nodeName: 'gd-node' }), ['pod/gd created']);
    const graceful = await cluster.ok(['delete', 'pod', 'gd', '--wait=false']);
    assert.deepEqual({ stdout: graceful.stdout, stderr: graceful.stderr }, { stdout: 'pod "gd" deleted\n', stderr: '' });

    const marked = await cluster.jsonpath('gd', '{.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}');
    assert.match(marked, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ 30$/);
    const { stdout } = await cluster.ok(['get', 'pod', 'gd']);
    assert.match(stdout.split('\n')[1]!, /^gd +0\/1 +Terminating +0 +\S+$/);

    const forced = await cluster.ok(['delete', 'pod', 'gd', '--grace-period=0', '--force']);
    assert.deepEqual({ stdout: forced.stdout, stderr: forced.stderr }, { stdout: 'pod "gd" force deleted\n', stderr: forceWarning });
    await cluster.assertPodAbsent('gd');
  });

  test('delete of an unscheduled pod removes it at once', async () => {
    await cluster.create(podManifest('ud'), ['pod/ud created']);
    const result = await cluster.ok(['delete', 'pod', 'ud']);
    assert.deepEqual({ stdout: result.stdout, stderr: result.stderr }, { stdout: 'pod "ud" deleted\n', stderr: '' });
    await cluster.assertPodAbsent('ud');
  });

  test('delete pods -l removes every match', async () => {
    await cluster.create(
      documents(podManifest('z1', { labels: { app: 'z' } }), podManifest('z2', { labels: { app: 'z' } }), podManifest('z3', { labels: { app: 'y' } })),
      ['pod/z1 created', 'pod/z2 created', 'pod/z3 created'],
    );
    const result = await cluster.ok(['delete', 'pods', '-l', 'app=z']);
    assert.equal(result.stdout, lines(['pod "z1" deleted', 'pod "z2" deleted']));
    const left = await cluster.ok(['get', 'pods', '-l', 'app=z']);
    assert.deepEqual({ stdout: left.stdout, stderr: left.stderr }, { stdout: '', stderr: 'No resources found in default namespace.\n' });
    assert.equal((await cluster.ok(['get', 'pod', 'z3', '-o', 'name'])).stdout, 'pod/z3\n');
  });

  test('delete of a missing pod fails, --ignore-not-found succeeds', async () => {
    const missing = await cluster.run(['delete', 'pod', 'del-nope']);
    assert.deepEqual(missing, { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "del-nope" not found\n' });
    const ignored = await cluster.ok(['delete', 'pod', 'del-nope', '--ignore-not-found']);
    assert.deepEqual({ stdout: ignored.stdout, stderr: ignored.stderr }, { stdout: '', stderr: '' });
  });

  test('wait --for=delete returns when another process deletes the pod', async () => {
    await cluster.create(podManifest('wd'), ['pod/wd created']);
    // -v=6 logs each request; once the informer's list is answered, a deletion reaches its watch.
    const wait = kubectlSpawn(cluster.server, ['wait', '--for=delete', 'pod/wd', '--timeout=10s', '-v=6']);
    try {
      await wait.stderrLines.take('the list request of kubectl wait', (line) => /fieldSelector=metadata\.name%3Dwd&limit=500&resourceVersion=0.*200/.test(line), 10_000);
      await cluster.ok(['delete', 'pod', 'wd', '--wait=false']);
      const result = await wait.exited;
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'pod/wd condition met\n');
    } finally {
      await wait.kill();
    }
  });

  test('delete namespace empties it, then it is gone', async () => {
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: doomed\n';
    await cluster.create(ns, ['namespace/doomed created']);
    await cluster.create(podManifest('inside', { namespace: 'doomed' }), ['pod/inside created']);
    const result = await cluster.ok(['delete', 'namespace', 'doomed']);
    assert.deepEqual({ stdout: result.stdout, stderr: result.stderr }, { stdout: 'namespace "doomed" deleted\n', stderr: '' });
    const gone = await cluster.run(['get', 'namespace', 'doomed']);
    assert.deepEqual(gone, { code: 1, stdout: '', stderr: 'Error from server (NotFound): namespaces "doomed" not found\n' });
    const recreate = await cluster.run(['create', '-f', '-'], { input: podManifest('inside', { namespace: 'doomed' }) });
    assert.equal(recreate.stderr, 'Error from server (NotFound): error when creating "STDIN": namespaces "doomed" not found\n');
  });
}
