import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ContainerStatus } from '../../src/agent/runtime/runtime.ts';
import { generatePodStatus, type ObservedPod } from '../../src/agent/status/generate.ts';
import { podPhase } from '../../src/agent/status/phase.ts';

const t0 = new Date('2026-11-23T10:00:00Z');
const t1 = new Date('2026-11-23T10:00:05Z');

function pod(restartPolicy: 'Always' | 'OnFailure' | 'Never' = 'Always', names = ['app']): Pod {
  return {
    metadata: { name: 'p', namespace: 'default', uid: 'u1' },
    spec: { restartPolicy, containers: names.map((name) => ({ name, image: 'busybox' })) },
    status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-11-23T09:59:59Z' }] },
  };
}

function container(name: string, attempt: number, state: ContainerStatus['state'], exitCode?: number): ContainerStatus {
  return {
    id: `${name}-${attempt}`, sandboxId: 's1', metadata: { name, attempt }, state, pid: state === 'exited' ? 0 : 42,
    createdAt: t0, startedAt: state === 'created' ? undefined : t0, finishedAt: state === 'exited' ? t1 : undefined,
    exitCode, reason: exitCode === undefined ? undefined : exitCode === 0 ? 'Completed' : 'Error', logPath: '/x',
    labels: {}, annotations: { 'io.kubernetes.container.imageRef': 'docker.io/library/busybox@sha256:abc' },
  };
}

function observed(containers: ContainerStatus[], waiting: Record<string, { reason: string; message?: string }> = {}): ObservedPod {
  return {
    sandboxReady: true, podIPs: ['10.42.0.5'], hostIP: '192.0.2.1', containers, waiting: new Map(Object.entries(waiting)), startTime: t0,
    probes: { get: () => undefined }, messages: new Map(),
  };
}

describe('generatePodStatus', () => {
  test('a pod whose containers are being created is Pending with ContainerCreating', () => {
    const status = generatePodStatus(pod(), observed([]), t1);
    assert.equal(status.phase, 'Pending');
    assert.deepEqual(status.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.equal(status.containerStatuses?.[0]?.ready, false);
    assert.equal(status.podIP, '10.42.0.5');
    assert.deepEqual(status.podIPs, [{ ip: '10.42.0.5' }]);
    assert.equal(status.startTime, '2026-11-23T10:00:00Z');
    assert.equal(status.qosClass, 'BestEffort');
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual(ready, { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]', lastTransitionTime: '2026-11-23T10:00:05Z' });
    assert.deepEqual(status.conditions?.map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  });

  test('running containers make the pod Running and Ready, keeping unchanged transition times', () => {
    const scheduled = pod();
    const before: Pod = { ...scheduled, status: { ...scheduled.status, conditions: [...scheduled.status!.conditions!, { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: '2026-11-23T09:00:00Z' }] } };
    const status = generatePodStatus(before, observed([container('app', 0, 'running')]), t1);
    assert.equal(status.phase, 'Running');
    const app = status.containerStatuses![0]!;
    assert.deepEqual(app.state, { running: { startedAt: '2026-11-23T10:00:00Z' } });
    assert.equal(app.ready, true);
    assert.equal(app.started, true);
    assert.equal(app.containerID, 'runc://app-0');
    assert.equal(app.imageID, 'docker.io/library/busybox@sha256:abc');
    assert.equal(status.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(status.conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.lastTransitionTime, '2026-11-23T09:00:00Z');
    assert.equal(status.conditions?.find((c) => c.type === 'PodScheduled')?.lastTransitionTime, '2026-11-23T09:59:59Z');
  });

  test('a restarted container reports its restart count and the last termination', () => {
    const status = generatePodStatus(pod(), observed([container('app', 0, 'exited', 1), container('app', 1, 'running')]), t1);
    const app = status.containerStatuses![0]!;
    assert.equal(app.restartCount, 1);
    assert.deepEqual(app.lastState?.terminated, {
      exitCode: 1, reason: 'Error', startedAt: '2026-11-23T10:00:00Z', finishedAt: '2026-11-23T10:00:05Z', containerID: 'runc://app-0',
    });
  });

  test('a crash-looping container waits with CrashLoopBackOff and its last state, and the pod stays Running', () => {
    const message = 'back-off 10s restarting failed container=app pod=p_default(u1)';
    const status = generatePodStatus(pod(), observed([container('app', 1, 'exited', 2)], { app: { reason: 'CrashLoopBackOff', message } }), t1);
    const app = status.containerStatuses![0]!;
    assert.deepEqual(app.state, { waiting: { reason: 'CrashLoopBackOff', message } });
    assert.equal(app.lastState?.terminated?.exitCode, 2);
    assert.equal(status.phase, 'Running');
  });

  test('image errors show as the waiting reason with the message', () => {
    const status = generatePodStatus(pod(), observed([], { app: { reason: 'ErrImagePull', message: 'not found' } }), t1);
    assert.deepEqual(status.containerStatuses?.[0]?.state, { waiting: { reason: 'ErrImagePull', message: 'not found' } });
  });

  test('readiness gates: Ready waits for each gate\'s condition to be True', () => {
    const gated = pod();
    gated.spec!.readinessGates = [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }];
    gated.status!.conditions!.push({ type: 'example.com/dns', status: 'False' });
    const status = generatePodStatus(gated, observed([container('app', 0, 'running')]), t1);
    const ready = status.conditions?.find((c) => c.type === 'Ready');
    assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['False', 'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "example.com/lb" does not exist., the status of pod readiness gate "example.com/dns" is not "True", but False']);
    assert.equal(status.conditions?.find((c) => c.type === 'ContainersReady')?.status, 'True');
    assert.ok(status.conditions?.some((c) => c.type === 'example.com/dns'), 'the gate\'s own condition is carried over');
  });

  test('containers that all completed under Never make the pod Succeeded with PodCompleted', () => {
    const status = generatePodStatus(pod('Never'), observed([container('app', 0, 'exited', 0)]), t1);
    assert.equal(status.phase, 'Succeeded');
    assert.equal(status.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(status.conditions?.find((c) => c.type === 'Ready')?.reason, 'PodCompleted');
  });
});

describe('podPhase (the kubelet getPhase rules)', () => {
  const running = { name: 'a', image: 'x', ready: true, restartCount: 0, imageID: '', state: { running: {} } };
  const waiting = { name: 'b', image: 'x', ready: false, restartCount: 0, imageID: '', state: { waiting: { reason: 'ContainerCreating' } } };
  const failed = { name: 'c', image: 'x', ready: false, restartCount: 0, imageID: '', state: { terminated: { exitCode: 1 } } };
  const done = { name: 'd', image: 'x', ready: false, restartCount: 0, imageID: '', state: { terminated: { exitCode: 0 } } };
  const cases: [string, 'Always' | 'OnFailure' | 'Never', object[], string][] = [
    ['any waiting → Pending', 'Always', [running, waiting], 'Pending'],
    ['running → Running', 'Never', [running, failed], 'Running'],
    ['all stopped, Always → Running', 'Always', [failed], 'Running'],
    ['all succeeded → Succeeded', 'OnFailure', [done], 'Succeeded'],
    ['a failure under Never → Failed', 'Never', [done, failed], 'Failed'],
    ['a failure under OnFailure → Running', 'OnFailure', [failed], 'Running'],
    ['nothing yet → Pending', 'Always', [], 'Pending'],
  ];
  for (const [name, policy, statuses, phase] of cases) {
    const containers = (statuses as { name: string }[]).map(({ name: n }) => ({ name: n }));
    test(name, () => assert.equal(podPhase({ restartPolicy: policy, containers }, [], statuses as never), phase));
  }
});
