// A server restart — graceful (SIGTERM) or a crash (SIGKILL) — loses nothing: objects keep their
// uid and resourceVersion, new writes get larger resourceVersions, and a watch from a
// resourceVersion taken before the restart delivers the changes made after it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as k8s from '@kubernetes/client-node';
import { kubectl } from '../support/kubectl.ts';
import { unschedulableSelector } from '../support/manifests.ts';
import { startServer, type Datastore, type TestServer } from '../support/server.ts';
import { Inbox } from '../support/wait.ts';

const namespace = 'default';

function pod(name: string, suite: string): k8s.V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { suite } },
    spec: { nodeSelector: { [unschedulableSelector]: 'true' }, containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
}

const mergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

for (const datastore of ['sqlite', 'etcd'] as Datastore[]) {
  describe(`peapod restart (${datastore})`, () => {
    let server: TestServer | undefined;

    before(async () => {
      server = await startServer({ datastore });
    });
    after(async () => {
      await server?.stop();
    });

    const client = () => {
      const config = new k8s.KubeConfig();
      config.loadFromFile(server!.kubeconfig);
      return { config, core: config.makeApiClient(k8s.CoreV1Api) };
    };

    const snapshot = async (core: k8s.CoreV1Api, suite: string) => {
      const list = await core.listNamespacedPod({ namespace, labelSelector: `suite=${suite}` });
      const pods = list.items.map((p) => ({ name: p.metadata?.name, uid: p.metadata?.uid, resourceVersion: p.metadata?.resourceVersion, labels: p.metadata?.labels }));
      return { pods, resourceVersion: list.metadata?.resourceVersion ?? '' };
    };

    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      test(`after ${signal} every object, its resourceVersion and the watch history remain`, async () => {
        const suite = `restart-${signal.toLowerCase()}`;
        const { core } = client();
        await core.createNamespacedPod({ namespace, body: pod(`${suite}-a`, suite) });
        await core.createNamespacedPod({ namespace, body: pod(`${suite}-b`, suite) });
        await core.patchNamespacedPod({ name: `${suite}-a`, namespace, body: { metadata: { labels: { step: 'before' } } } }, mergePatch());
        const beforeRestart = await snapshot(core, suite);
        assert.equal(beforeRestart.pods.length, 2);

        await server!.restart({ signal });

        const { config, core: after } = client();
        const afterRestart = await snapshot(after, suite);
        assert.deepEqual(afterRestart.pods, beforeRestart.pods, 'objects after the restart');
        assert.ok(Number(afterRestart.resourceVersion) >= Number(beforeRestart.resourceVersion), `list RV ${afterRestart.resourceVersion} < ${beforeRestart.resourceVersion}`);

        const created = await after.createNamespacedPod({ namespace, body: pod(`${suite}-c`, suite) });
        assert.ok(
          Number(created.metadata?.resourceVersion) > Number(beforeRestart.resourceVersion),
          `new write RV ${created.metadata?.resourceVersion} is not above ${beforeRestart.resourceVersion}`,
        );
        await after.patchNamespacedPod({ name: `${suite}-a`, namespace, body: { metadata: { labels: { step: 'after' } } } }, mergePatch());

        const events = new Inbox<{ type: string; name: string; step: string | undefined }>();
        const abort = await new k8s.Watch(config).watch(
          `/api/v1/namespaces/${namespace}/pods`,
          { resourceVersion: beforeRestart.resourceVersion, labelSelector: `suite=${suite}` },
          (type: string, object: k8s.V1Pod) => events.push({ type, name: object.metadata?.name ?? '', step: object.metadata?.labels?.step }),
          (err: unknown) => events.close(new Error(`watch ended: ${String(err)}`)),
        );
        try {
          const first = await events.take(`the first event of ${suite}-c`, (e) => e.name === `${suite}-c`);
          assert.deepEqual(first, { type: 'ADDED', name: `${suite}-c`, step: undefined });
          const second = await events.take(`${suite}-a with step=after`, (e) => e.name === `${suite}-a` && e.step === 'after');
          assert.equal(second.type, 'MODIFIED');
          const replayed = events.received.filter((e) => e.type === 'ADDED');
          assert.deepEqual(replayed, [], 'no replayed ADDED events from before the watch resourceVersion');
        } finally {
          abort.abort();
        }

        const got = await kubectl(server!, ['get', 'pods', '-l', `suite=${suite}`, '-o', 'name']);
        assert.deepEqual(got, { code: 0, stdout: `pod/${suite}-a\npod/${suite}-b\npod/${suite}-c\n`, stderr: '' });
      });
    }
  });
}
