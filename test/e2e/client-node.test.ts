// The official JavaScript client (@kubernetes/client-node 2.x) against a peapod server: list,
// create, watch, patch (merge and JSON patch content types) and delete of pods.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { unschedulableSelector } from '../support/manifests.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { Inbox } from '../support/wait.ts';

const namespace = 'default';

function pod(name: string, labels: Record<string, string> = {}): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { nodeSelector: { [unschedulableSelector]: 'true' }, containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
}

interface WatchEvent {
  type: string;
  pod: k8s.V1Pod;
}

describe('@kubernetes/client-node against peapod', () => {
  let server: TestServer | undefined;
  let core: k8s.CoreV1Api;
  let config: k8s.KubeConfig;

  before(async () => {
    server = await startServer();
    config = new k8s.KubeConfig();
    config.loadFromFile(server.kubeconfig);
    core = config.makeApiClient(k8s.CoreV1Api);
  });
  after(async () => {
    await server?.stop();
  });

  test('lists pods with a list resourceVersion', async () => {
    const list = await core.listNamespacedPod({ namespace });
    assert.ok(Array.isArray(list.items));
    assert.match(list.metadata?.resourceVersion ?? '', /^\d+$/);
  });

  test('creates a pod and reads it back', async () => {
    const created = await core.createNamespacedPod({ namespace, body: pod('cn-create', { app: 'cn' }) });
    assert.equal(created.metadata?.name, 'cn-create');
    assert.match(created.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(created.status?.phase, 'Pending');
    const read = await core.readNamespacedPod({ name: 'cn-create', namespace });
    assert.equal(read.metadata?.uid, created.metadata?.uid);
    const listed = await core.listNamespacedPod({ namespace, labelSelector: 'app=cn' });
    assert.deepEqual(listed.items.map((p) => p.metadata?.name), ['cn-create']);
  });

  test('watch from a list resourceVersion sees ADDED, MODIFIED and DELETED', async () => {
    const list = await core.listNamespacedPod({ namespace });
    const events = new Inbox<WatchEvent>();
    const watch = new k8s.Watch(config);
    const abort = await watch.watch(
      `/api/v1/namespaces/${namespace}/pods`,
      { resourceVersion: list.metadata?.resourceVersion, fieldSelector: 'metadata.name=cn-watch' },
      (type: string, object: k8s.V1Pod) => events.push({ type, pod: object }),
      (err: unknown) => events.close(new Error(`watch ended: ${String(err)}`)),
    );
    try {
      await core.createNamespacedPod({ namespace, body: pod('cn-watch') });
      const added = await events.take('ADDED cn-watch');
      assert.equal(added.type, 'ADDED');
      assert.equal(added.pod.metadata?.name, 'cn-watch');

      await core.patchNamespacedPod(
        { name: 'cn-watch', namespace, body: { metadata: { labels: { step: 'patched' } } } },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const modified = await events.take('MODIFIED with label step=patched', (e) => e.pod.metadata?.labels?.step === 'patched');
      assert.equal(modified.type, 'MODIFIED');
      assert.ok(Number(modified.pod.metadata?.resourceVersion) > Number(added.pod.metadata?.resourceVersion));

      await core.deleteNamespacedPod({ name: 'cn-watch', namespace });
      const deleted = await events.take('DELETED cn-watch', (e) => e.type === 'DELETED');
      assert.equal(deleted.pod.metadata?.name, 'cn-watch');
      const unexpected = events.received.filter((e) => e.type !== 'MODIFIED');
      assert.deepEqual(unexpected, [], 'only status updates besides the awaited events');
    } finally {
      abort.abort();
    }
  });

  test('patches with merge patch and JSON patch', async () => {
    await core.createNamespacedPod({ namespace, body: pod('cn-patch', { keep: 'yes', drop: 'me' }) });
    const merged = await core.patchNamespacedPod(
      { name: 'cn-patch', namespace, body: { metadata: { labels: { drop: null, added: '1' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    assert.deepEqual(merged.metadata?.labels, { keep: 'yes', added: '1' });
    // JSON patch is the generated client's default content type.
    const patched = await core.patchNamespacedPod({
      name: 'cn-patch',
      namespace,
      body: [{ op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.27' }],
    });
    assert.equal(patched.spec?.containers[0]?.image, 'nginx:1.27');
  });

  test('deletes a pod; reading it then fails with 404', async () => {
    await core.createNamespacedPod({ namespace, body: pod('cn-delete') });
    await core.deleteNamespacedPod({ name: 'cn-delete', namespace });
    await assert.rejects(core.readNamespacedPod({ name: 'cn-delete', namespace }), (err: unknown) => {
      assert.ok(err instanceof k8s.ApiException, `not an ApiException: ${String(err)}`);
      assert.equal(err.code, 404);
      const status = JSON.parse(String(err.body)) as { reason: string; message: string };
      assert.deepEqual({ reason: status.reason, message: status.message }, { reason: 'NotFound', message: 'pods "cn-delete" not found' });
      return true;
    });
  });
});
