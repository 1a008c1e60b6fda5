// Pods that fail on a real node, as kubectl 1.32 shows them: the waiting reason in the STATUS
// column and in status.containerStatuses, the kubelet's events, recovery once the missing object
// exists, restarts under back-off, terminal phases, and a deletion that leaves no container.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlWatch } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { busybox, createPod, deletePod, eventLines, eventsInclude, kubectlOk, podEvents, podRow, podRuncContainers, podWith, statusBecomes, waitingBecomes } from './pod-helpers.ts';
import { getPod, untilTerm } from './support.ts';

const timeout = 90_000;

describe('pod errors on a real node', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods,configmaps', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
  });

  test('an image missing from the registry: ErrImagePull, then ImagePullBackOff, with the kubelet events', { timeout }, async () => {
    // Watched from before the pod exists, so that the short-lived ErrImagePull row cannot be missed.
    const watch = kubectlWatch(server, ['pods', '--field-selector', 'metadata.name=missing-image']);
    try {
      await createPod(server, podWith('missing-image', { containers: [busybox('c', { image: 'busybox:nope' })] }));
      const status = (line: string) => line.split(/\s+/)[2];
      await watch.stdoutLines.take('STATUS ErrImagePull', (line) => status(line) === 'ErrImagePull', 30_000);
      await watch.stdoutLines.take('STATUS ImagePullBackOff after ErrImagePull', (line) => status(line) === 'ImagePullBackOff', 30_000);
    } finally {
      await watch.kill();
    }
    const waiting = await waitingBecomes(server, 'missing-image', 'ImagePullBackOff');
    assert.match(waiting.message ?? '', /^Back-off pulling image "busybox:nope"/);
    await eventsInclude(server, 'missing-image', [
      'Normal Pulling: Pulling image "busybox:nope"',
      /^Warning Failed: Failed to pull image "busybox:nope": .*not found/,
      'Warning Failed: Error: ErrImagePull',
      'Normal BackOff: Back-off pulling image "busybox:nope"',
      'Warning Failed: Error: ImagePullBackOff',
    ]);
    // Events and status are written apart (as the kubelet's are): the status is polled.
    await waitingBecomes(server, 'missing-image', 'ImagePullBackOff');
    const row = await podRow(server, 'missing-image');
    assert.deepEqual([row.READY, row.RESTARTS], ['0/1', '0']);
    const described = await kubectlOk(server, ['describe', 'pod', 'missing-image']);
    // Each back-off ends in another pull that fails: a slow run may catch the pod at ErrImagePull again.
    assert.match(described, /State:\s+Waiting\n\s+Reason:\s+(ImagePullBackOff|ErrImagePull)/);
    assert.match(described, /Normal\s+BackOff\s+\S+ \(x\d+ over \S+\)\s+kubelet\s+Back-off pulling image "busybox:nope"|Normal\s+BackOff\s+\S+\s+kubelet\s+Back-off pulling image "busybox:nope"/);
    await deletePod(server, 'missing-image');
  });

  test('an invalid image name: InvalidImageName', { timeout }, async () => {
    await createPod(server, podWith('invalid-image', { containers: [busybox('c', { image: 'UPPER/Case:x' })] }));
    await statusBecomes(server, 'invalid-image', 'InvalidImageName');
    const waiting = await waitingBecomes(server, 'invalid-image', 'InvalidImageName');
    const why = 'Failed to apply default image tag "UPPER/Case:x": couldn\'t parse image name "UPPER/Case:x": invalid reference format: repository name must be lowercase';
    assert.equal(waiting.message, why);
    await eventsInclude(server, 'invalid-image', [`Warning InspectFailed: ${why}`, 'Warning Failed: Error: InvalidImageName']);
    await deletePod(server, 'invalid-image');
  });

  test('imagePullPolicy Never with an absent image: ErrImageNeverPull', { timeout }, async () => {
    await createPod(server, podWith('never-pull', { containers: [busybox('c', { image: 'busybox:absent', imagePullPolicy: 'Never' })] }));
    await statusBecomes(server, 'never-pull', 'ErrImageNeverPull');
    const waiting = await waitingBecomes(server, 'never-pull', 'ErrImageNeverPull');
    const why = 'Container image "busybox:absent" is not present with pull policy of Never';
    assert.equal(waiting.message, why);
    await eventsInclude(server, 'never-pull', [`Warning ErrImageNeverPull: ${why}`, 'Warning Failed: Error: ErrImageNeverPull']);
    const events = await podEvents(server, 'never-pull');
    assert.ok(!events.some((e) => e.reason === 'Pulling'), `no pull with policy Never:\n${eventLines(events).join('\n')}`);
    await deletePod(server, 'never-pull');
  });

  test('env from a missing ConfigMap: CreateContainerConfigError until the ConfigMap exists', { timeout }, async () => {
    const env = [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'env-source', key: 'greeting' } } }];
    await createPod(server, podWith('env-config', { terminationGracePeriodSeconds: 1, containers: [busybox('c', { command: untilTerm('echo "GREETING=$GREETING";'), env })] }));
    await statusBecomes(server, 'env-config', 'CreateContainerConfigError');
    const waiting = await waitingBecomes(server, 'env-config', 'CreateContainerConfigError');
    assert.equal(waiting.message, 'configmap "env-source" not found');
    await eventsInclude(server, 'env-config', ['Warning Failed: Error: configmap "env-source" not found']);
    await kubectlOk(server, ['create', 'configmap', 'env-source', '--from-literal=greeting=hello']);
    const created = Date.now();
    await statusBecomes(server, 'env-config', 'Running', 15_000);
    const tookMs = Date.now() - created;
    assert.ok(tookMs < 15_000, `Running ${tookMs} ms after the ConfigMap was created`);
    await eventually('the env value in the logs', async () => ((await kubectlOk(server, ['logs', 'env-config'])) === 'GREETING=hello\n' ? true : undefined));
    await deletePod(server, 'env-config');
  });

  test('a configMap volume whose ConfigMap is missing: ContainerCreating with FailedMount, then Running', { timeout }, async () => {
    await createPod(server, podWith('volume-config', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', { command: untilTerm('cat /config/greeting;'), volumeMounts: [{ name: 'config', mountPath: '/config' }] })],
      volumes: [{ name: 'config', configMap: { name: 'volume-source' } }],
    }));
    await eventsInclude(server, 'volume-config', ['Warning FailedMount: MountVolume.SetUp failed for volume "config" : configmap "volume-source" not found']);
    const row = await statusBecomes(server, 'volume-config', 'ContainerCreating');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['0/1', 'ContainerCreating', '0']);
    const status = (await getPod(server, 'volume-config')).status;
    assert.equal(status?.phase, 'Pending');
    assert.deepEqual(status?.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    await kubectlOk(server, ['create', 'configmap', 'volume-source', '--from-literal=greeting=from-volume']);
    await statusBecomes(server, 'volume-config', 'Running', 30_000);
    await eventually('the mounted file in the logs', async () => ((await kubectlOk(server, ['logs', 'volume-config'])) === 'from-volume' ? true : undefined));
    await deletePod(server, 'volume-config');
  });

  test('a container exiting 1 under restartPolicy Always: RESTARTS grows and CrashLoopBackOff shows', { timeout }, async () => {
    await createPod(server, podWith('crash-loop', { containers: [busybox('c', { command: ['sh', '-c', 'echo attempt; exit 1'] })] }));
    const uid = (await getPod(server, 'crash-loop')).metadata?.uid ?? '';
    const row = await eventually('CrashLoopBackOff with 2 restarts', async () => {
      const current = await podRow(server, 'crash-loop');
      if (current.STATUS === 'CrashLoopBackOff' && Number.parseInt(current.RESTARTS ?? '0', 10) >= 2) return current;
      throw new Error(JSON.stringify(current));
    }, 45_000, 250);
    assert.match(row.RESTARTS ?? '', /^\d+ \(\d+s ago\)$/);
    assert.equal(row.READY, '0/1');
    const container = (await getPod(server, 'crash-loop')).status?.containerStatuses?.[0];
    assert.ok((container?.restartCount ?? 0) >= 2);
    assert.equal(container?.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.match(container?.state?.waiting?.message ?? '', new RegExp(`^back-off \\d+s restarting failed container=c pod=crash-loop_default\\(${uid}\\)$`));
    assert.equal(container?.lastState?.terminated?.exitCode, 1);
    assert.equal(container?.lastState?.terminated?.reason, 'Error');
    await eventsInclude(server, 'crash-loop', ['Normal Started: Started container c', `Warning BackOff: Back-off restarting failed container c in pod crash-loop_default(${uid})`]);
    await deletePod(server, 'crash-loop');
  });

  test('restartPolicy Never: exit 0 is Completed/Succeeded, exit 3 is Error/Failed', { timeout }, async () => {
    await createPod(server, podWith('run-once-ok', { restartPolicy: 'Never', containers: [busybox('c', { command: ['sh', '-c', 'echo done'] })] }));
    await createPod(server, podWith('run-once-fail', { restartPolicy: 'Never', containers: [busybox('c', { command: ['sh', '-c', 'exit 3'] })] }));
    const cases = [
      { name: 'run-once-ok', status: 'Completed', phase: 'Succeeded', exitCode: 0 },
      { name: 'run-once-fail', status: 'Error', phase: 'Failed', exitCode: 3 },
    ];
    for (const { name, status, phase, exitCode } of cases) {
      const row = await statusBecomes(server, name, status);
      assert.deepEqual([row.READY, row.RESTARTS], ['0/1', '0']);
      const stored = await getPod(server, name);
      assert.equal(stored.status?.phase, phase);
      const container = stored.status?.containerStatuses?.[0];
      assert.equal(container?.restartCount, 0);
      assert.equal(container?.state?.terminated?.exitCode, exitCode);
      assert.equal(container?.state?.terminated?.reason, status);
      // A finished pod is not synced again: its sandbox is stopped, never re-created.
      const expected = new Set(['Scheduled', 'MissingClusterDNS', 'Pulling', 'Pulled', 'Created', 'Started']);
      const lines = await eventsInclude(server, name, ['Normal Started: Started container c']);
      const unexpected = (await podEvents(server, name)).filter((e) => !expected.has(e.reason ?? ''));
      assert.deepEqual(eventLines(unexpected), [], `events of ${name}:\n${lines.join('\n')}`);
    }
    assert.equal(await kubectlOk(server, ['logs', 'run-once-ok']), 'done\n');
    await deletePod(server, 'run-once-ok');
    await deletePod(server, 'run-once-fail');
  });

  test('deleting a pod whose container exits on SIGTERM is quick and stops its containers', { timeout }, async () => {
    const marker = { key: 'peapod.test/deletion', value: 'quick-delete' };
    await createPod(server, podWith('quick-delete', { containers: [busybox('c', { command: untilTerm('echo up;') })] }, { [marker.key]: marker.value }));
    await statusBecomes(server, 'quick-delete', 'Running');
    const containerId = (await getPod(server, 'quick-delete')).status?.containerStatuses?.[0]?.containerID?.replace(/^runc:\/\//, '') ?? '';
    assert.notEqual(containerId, '');
    const before = await podRuncContainers(server, marker, [containerId]);
    assert.equal(before.length, 2, `the sandbox and container c in runc: ${before.join(', ')}`);
    const started = Date.now();
    await kubectlOk(server, ['delete', 'pod', 'quick-delete']);
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 10_000, `kubectl delete took ${tookMs} ms (default grace period 30 s, but the container exits on SIGTERM)`);
    const gone = await kubectl(server, ['get', 'pod', 'quick-delete']);
    assert.equal(gone.stderr.trim(), 'Error from server (NotFound): pods "quick-delete" not found');
    // The kubelet removes a deleted pod's containers right after the pod is gone, not at the next GC.
    await eventually('no runc container of the deleted pod', async () => {
      const left = await podRuncContainers(server, marker, [containerId]);
      if (left.length === 0) return true;
      throw new Error(`still in runc: ${left.join(', ')}`);
    }, 10_000, 250);
  });
});
