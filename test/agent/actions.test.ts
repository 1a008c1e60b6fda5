// computePodActions on hand-made runtime states: what the plan says for sandboxes, init
// containers, sidecars, probe failures and finished pods — no runtime, no clock.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { containerHashAnnotation, hashContainer } from '../../src/agent/kuberuntime/labels.ts';
import { computePodActions, type PodActions } from '../../src/agent/podworker/actions.ts';
import type { RuntimePod } from '../../src/agent/podworker/observe.ts';
import type { ProbeResult } from '../../src/agent/prober/results.ts';
import type { ContainerStatus, PodSandboxStatus } from '../../src/agent/runtime/runtime.ts';

const t0 = new Date('2026-11-23T10:00:00Z');

function pod(spec: Partial<NonNullable<Pod['spec']>>): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'app' }], ...spec } };
}

function sandbox(state: 'ready' | 'notready', attempt = 0): PodSandboxStatus {
  return {
    id: `s${attempt}`, metadata: { name: 'p', uid: 'u', namespace: 'ns', attempt }, state, createdAt: new Date(t0.getTime() + attempt), pid: 1,
    netNamespacePath: '', namespaceOptions: { network: 'pod', ipc: 'pod', pid: 'container' }, labels: {}, annotations: {},
  };
}

function c(name: string, state: ContainerStatus['state'], exitCode?: number, attempt = 0, image?: string): ContainerStatus {
  return {
    id: `${name}-${attempt}`, sandboxId: 's0', metadata: { name, attempt }, state, pid: 0, createdAt: t0, exitCode, logPath: '', labels: {},
    annotations: { [containerHashAnnotation]: hashContainer({ name, image }) },
  };
}

function observed(containers: ContainerStatus[], sandboxes = [sandbox('ready')]): RuntimePod {
  return { uid: 'u', sandboxes, containers };
}

function plan(p: Pod, o: RuntimePod, results: Record<string, ProbeResult> = {}): PodActions {
  return computePodActions(p, o, { get: (kind, id) => results[`${kind}/${id}`] });
}

const names = (list: Container[]) => list.map((x) => x.name);
const sidecar = (name: string, extra: Partial<Container> = {}): Container => ({ name, restartPolicy: 'Always', ...extra });

describe('computePodActions', () => {
  test('a new pod: a sandbox, then every container', () => {
    const a = plan(pod({ containers: [{ name: 'a' }, { name: 'b' }] }), observed([], []));
    assert.deepEqual([a.createSandbox, a.killPod, a.sandboxAttempt, names(a.containersToStart)], [true, true, 0, ['a', 'b']]);
  });

  test('a new pod with init containers starts the first init container only', () => {
    const a = plan(pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] }), observed([], []));
    assert.deepEqual([names(a.initContainersToStart), names(a.containersToStart)], [['i1'], []]);
  });

  test('init containers run one at a time, each after the previous one exited 0', () => {
    const p = pod({ initContainers: [{ name: 'i1' }, { name: 'i2' }] });
    assert.deepEqual(names(plan(p, observed([c('i1', 'running')])).initContainersToStart), []);
    assert.deepEqual(names(plan(p, observed([c('i1', 'exited', 0)])).initContainersToStart), ['i2']);
    const done = plan(p, observed([c('i1', 'exited', 0), c('i2', 'exited', 0)]));
    assert.deepEqual([names(done.initContainersToStart), names(done.containersToStart)], [[], ['app']]);
  });

  test('a failed init container is retried, or under restartPolicy Never fails the pod', () => {
    const failed = observed([c('i1', 'exited', 1)]);
    assert.deepEqual(names(plan(pod({ initContainers: [{ name: 'i1' }] }), failed).initContainersToStart), ['i1']);
    const never = plan(pod({ restartPolicy: 'Never', initContainers: [{ name: 'i1' }] }), failed);
    assert.deepEqual([never.killPod, never.createSandbox, names(never.initContainersToStart), names(never.containersToStart)], [true, false, [], []]);
  });

  test('a sidecar starts, the next init container follows once it started (startup probe), and it stays', () => {
    const probed = sidecar('proxy', { startupProbe: { exec: { command: ['true'] } } });
    const p = pod({ initContainers: [probed, { name: 'i2' }] });
    assert.deepEqual(names(plan(p, observed([c('proxy', 'running')])).initContainersToStart), [], 'startup probe not passed yet');
    assert.deepEqual(names(plan(p, observed([c('proxy', 'running')]), { 'startup/proxy-0': 'Success' }).initContainersToStart), ['i2']);
    const running = plan(p, observed([c('proxy', 'running'), c('i2', 'exited', 0), c('app', 'running')]), { 'startup/proxy-0': 'Success' });
    assert.deepEqual([names(running.initContainersToStart), names(running.containersToStart), running.killPod], [[], [], false]);
  });

  test('a sidecar that exited is restarted whatever the pod\'s restart policy', () => {
    const a = plan(pod({ restartPolicy: 'Never', initContainers: [sidecar('proxy')] }), observed([c('proxy', 'exited', 0), c('app', 'running')]));
    assert.deepEqual(names(a.initContainersToStart), ['proxy']);
  });

  test('once the app containers are done under Never, the pod is killed, sidecars with it', () => {
    const a = plan(pod({ restartPolicy: 'Never', initContainers: [sidecar('proxy')] }), observed([c('proxy', 'running'), c('app', 'exited', 0)]));
    assert.deepEqual([a.killPod, a.createSandbox, names(a.initContainersToStart)], [true, false, []]);
  });

  test('restart policies decide for an exited container', () => {
    const cases: [string | undefined, number, boolean][] = [
      [undefined, 0, true], ['Always', 1, true], ['OnFailure', 1, true], ['OnFailure', 0, false], ['Never', 1, false], ['Never', 0, false],
    ];
    for (const [restartPolicy, exitCode, restarts] of cases) {
      const a = plan(pod({ restartPolicy: restartPolicy as never }), observed([c('app', 'exited', exitCode)]));
      assert.equal(a.containersToStart.length > 0, restarts, `${restartPolicy} exit ${exitCode}`);
    }
  });

  test('a liveness failure kills the container and starts it again; under Never it is only killed', () => {
    const results = { 'liveness/app-0': 'Failure' as const };
    const a = plan(pod({}), observed([c('app', 'running')]), results);
    assert.deepEqual(a.containersToKill.map((k) => [k.containerId, k.message, k.reason]), [['app-0', 'Container app failed liveness probe, will be restarted', 'LivenessProbe']]);
    assert.deepEqual(names(a.containersToStart), ['app']);
    const never = plan(pod({ restartPolicy: 'Never' }), observed([c('app', 'running')]), results);
    assert.deepEqual([never.containersToKill[0]?.message, names(never.containersToStart), never.killPod], ['Container app failed liveness probe', [], true]);
  });

  test('a startup failure kills the container as liveness does', () => {
    const a = plan(pod({}), observed([c('app', 'running')]), { 'startup/app-0': 'Failure' });
    assert.deepEqual(a.containersToKill.map((k) => [k.message, k.reason]), [['Container app failed startup probe, will be restarted', 'StartupProbe']]);
  });

  test('a running container whose image changed is replaced, even under restartPolicy Never', () => {
    const p = pod({ restartPolicy: 'Never', containers: [{ name: 'app', image: 'busybox:1.37' }] });
    const a = plan(p, observed([c('app', 'running', undefined, 0, 'busybox:1.36')]));
    assert.deepEqual([a.containersToKill.map((k) => k.message), names(a.containersToStart), a.killPod], [['Container app definition changed, will be restarted'], ['app'], false]);
    assert.deepEqual(plan(p, observed([c('app', 'running', undefined, 0, 'busybox:1.37')])).containersToKill, []);
  });

  test('a dead sandbox: the pod is killed and made again, from the first init container', () => {
    const p = pod({ initContainers: [{ name: 'i1' }] });
    const a = plan(p, observed([c('i1', 'exited', 0), c('app', 'running')], [sandbox('notready', 0)]));
    assert.deepEqual([a.killPod, a.createSandbox, a.sandboxAttempt, names(a.initContainersToStart), names(a.containersToStart)], [true, true, 1, ['i1'], []]);
  });

  test('a dead sandbox of a finished pod is not made again', () => {
    const never = plan(pod({ restartPolicy: 'Never' }), observed([c('app', 'exited', 0)], [sandbox('notready', 0)]));
    assert.deepEqual([never.killPod, never.createSandbox], [true, false]);
    const onFailure = plan(pod({ restartPolicy: 'OnFailure' }), observed([c('app', 'exited', 0)], [sandbox('notready', 0)]));
    assert.deepEqual([onFailure.killPod, onFailure.createSandbox], [true, false]);
  });

  test('a pod being deleted starts nothing', () => {
    const a = plan(pod({}), observed([c('app', 'exited', 1)]), {});
    assert.equal(a.containersToStart.length, 1);
    const deleting = { ...pod({}), metadata: { uid: 'u', deletionTimestamp: '2026-11-23T10:00:00Z' } };
    assert.equal(plan(deleting, observed([c('app', 'exited', 1)])).containersToStart.length, 0);
  });
});
