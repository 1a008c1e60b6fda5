// The pod worker's logic on the fake runtime: what it creates, restarts, reports and removes.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { WaitingError } from '../../src/agent/podworker/deps.ts';
import { harness, pod, type Harness } from './harness.ts';

let dir: string;
let h: Harness;

const lastStatus = (): PodStatus => h.statuses.at(-1)!;

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'podworker-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('pod worker', () => {
  test('creates the sandbox and starts every container, then reports Running with the pod IP', async () => {
    h = harness(dir, () => ({}));
    const p = pod({ containers: [{ name: 'a', image: 'busybox', command: ['x'] }, { name: 'b', image: 'busybox', command: ['y'] }] });
    await h.worker.sync('uid-1', p);
    assert.equal((await h.runtime.listSandboxes()).length, 1);
    assert.deepEqual((await h.runtime.listContainers()).map((c) => [c.metadata.name, c.state]).sort(), [['a', 'running'], ['b', 'running']]);
    assert.equal(lastStatus().phase, 'Running');
    assert.equal(lastStatus().podIP, '10.42.0.7');
    const containerEvents = h.events.filter((e) => e.includes('container'));
    assert.deepEqual([...containerEvents].sort(), ['Normal Created Created container a', 'Normal Created Created container b', 'Normal Started Started container a', 'Normal Started Started container b']);
    assert.deepEqual(containerEvents.filter((e) => e.includes('Started')), ['Normal Started Started container a', 'Normal Started Started container b'], 'started in the spec\'s order');
    const before = (await h.runtime.listContainers()).map((c) => c.id).sort();
    await h.worker.sync('uid-1', { ...p, status: lastStatus() });
    assert.deepEqual((await h.runtime.listContainers()).map((c) => c.id).sort(), before, 'a second sync changes nothing');
  });

  test('restarts an exited container at once, then backs off with CrashLoopBackOff', async () => {
    h = harness(dir, () => ({ exitCode: 1 }));
    const p = pod();
    await h.worker.sync('uid-1', p);
    assert.equal(lastStatus().containerStatuses?.[0]?.state?.terminated?.exitCode, 1);
    await h.worker.sync('uid-1', p);
    assert.equal(lastStatus().containerStatuses?.[0]?.restartCount, 1, 'first restart is immediate');
    const result = await h.worker.sync('uid-1', p);
    const app = lastStatus().containerStatuses![0]!;
    assert.equal(app.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(app.state?.waiting?.message, 'back-off 10s restarting failed container=app pod=web_default(uid-1)');
    assert.equal(app.lastState?.terminated?.exitCode, 1);
    assert.deepEqual(result, { requeueAfterMs: 10_000 });
    assert.ok(h.events.includes('Warning BackOff Back-off restarting failed container app in pod web_default(uid-1)'));
    h.clock.advance(10_000);
    const written = h.statuses.length;
    await h.worker.sync('uid-1', p);
    assert.equal(lastStatus().containerStatuses?.[0]?.restartCount, 2);
    // As the kubelet writes what it found before it acts: terminated, then the restart.
    const states = h.statuses.slice(written).map((s) => s.containerStatuses?.[0]);
    assert.deepEqual(states.map((c) => [c?.restartCount, c?.state?.terminated?.reason ?? Object.keys(c?.state ?? {})[0]]), [[1, 'Error'], [2, 'Error']]);
    assert.ok((await h.runtime.listContainers()).length <= 2, 'only the newest exited attempt is kept');
  });

  test('restartPolicy Never leaves a completed pod Succeeded and stops its sandbox', async () => {
    h = harness(dir, () => ({ exitCode: 0 }));
    await h.worker.sync('uid-1', pod({ restartPolicy: 'Never' }));
    assert.equal(lastStatus().phase, 'Succeeded');
    assert.equal((await h.runtime.listSandboxes())[0]?.state, 'notready');
    assert.equal(lastStatus().conditions?.find((c) => c.type === 'PodReadyToStartContainers')?.status, 'False');
  });

  test('an image error is the waiting reason, retried later', async () => {
    h = harness(dir, () => ({}));
    h.pullError = new WaitingError('ErrImagePull', 'failed to pull and unpack image "nope": not found');
    const result = await h.worker.sync('uid-1', pod());
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state, { waiting: { reason: 'ErrImagePull', message: 'failed to pull and unpack image "nope": not found' } });
    assert.equal(lastStatus().phase, 'Pending');
    assert.ok(result && result.requeueAfterMs > 0);
    h.pullError = undefined;
    await h.worker.sync('uid-1', pod());
    assert.equal(lastStatus().phase, 'Running');
  });

  test('a missing ConfigMap for env is CreateContainerConfigError', async () => {
    h = harness(dir, () => ({}));
    const p = pod({ containers: [{ name: 'app', image: 'busybox', command: ['x'], env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }] });
    await h.worker.sync('uid-1', p);
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state, { waiting: { reason: 'CreateContainerConfigError', message: 'configmap "cm" not found' } });
    assert.ok(h.events.includes('Warning Failed Error: configmap "cm" not found'));
  });

  test('deletion stops the containers with the grace period, removes everything, then confirms', async () => {
    h = harness(dir, () => ({}));
    const p = pod();
    await h.worker.sync('uid-1', p);
    await h.worker.sync('uid-1', { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-11-23T10:00:01Z', deletionGracePeriodSeconds: 30 } });
    assert.deepEqual(await h.runtime.listContainers(), []);
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(h.deleted, ['uid-1']);
    assert.deepEqual(h.torndown, ['uid-1']);
    assert.ok(h.events.includes('Normal Killing Stopping container app'));
  });

  test('a pod gone from the API (or never seen: an orphan after a restart) is cleaned up', async () => {
    h = harness(dir, () => ({}));
    await h.worker.sync('uid-1', pod());
    const fresh = harness(dir, () => ({}));
    Object.assign(fresh, { runtime: h.runtime });
    await h.worker.sync('uid-1', undefined);
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(h.deleted, [], 'nothing to confirm for a pod the API no longer has');
  });

  test('the pod cgroup is made before the sandbox, which runs in it, and is removed with the pod', async () => {
    h = harness(dir, () => ({}));
    const p = pod();
    await h.worker.sync('uid-1', p);
    const [sandbox] = await h.runtime.listSandboxes();
    assert.equal(h.runtime.cgroupOf(sandbox!.pid), `/kubepods/besteffort/poduid-1/${sandbox!.id}`);
    const [container] = await h.runtime.listContainers();
    assert.equal(h.runtime.cgroupOf(container!.pid), `/kubepods/besteffort/poduid-1/${container!.id}`);
    await h.worker.sync('uid-1', { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-11-23T10:00:01Z', deletionGracePeriodSeconds: 30 } });
    assert.deepEqual(h.cgroupCalls, ['ensure uid-1', 'destroy uid-1']);
  });

  test('a pod cgroup that cannot be made: ContainerCreating with FailedCreatePodContainer, no sandbox', async () => {
    h = harness(dir, () => ({}));
    h.cgroupError = new Error('mkdir /sys/fs/cgroup/memory/kubepods: read-only file system');
    const result = await h.worker.sync('uid-1', pod());
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.ok(h.events.includes('Warning FailedCreatePodContainer unable to ensure pod container exists: mkdir /sys/fs/cgroup/memory/kubepods: read-only file system'));
    assert.ok(result && result.requeueAfterMs > 0);
    h.cgroupError = undefined;
    await h.worker.sync('uid-1', pod());
    assert.equal(lastStatus().phase, 'Running');
  });

  test('an OOM-killed container shows OOMKilled and 137 as its last state once restarted', async () => {
    h = harness(dir, () => ({ allocatesBytes: 64 * 1024 * 1024 }));
    const p = pod({ containers: [{ name: 'app', image: 'busybox', command: ['x'], resources: { limits: { memory: '32Mi' } } }], restartPolicy: 'Never' });
    await h.worker.sync('uid-1', p);
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state?.terminated?.reason, 'OOMKilled');
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    assert.equal(lastStatus().phase, 'Failed');
    h = harness(dir, () => ({ allocatesBytes: 64 * 1024 * 1024 }));
    await h.worker.sync('uid-1', { ...p, spec: { ...p.spec!, restartPolicy: 'Always' } });
    await h.worker.sync('uid-1', { ...p, spec: { ...p.spec!, restartPolicy: 'Always' } });
    const app = lastStatus().containerStatuses![0]!;
    assert.equal(app.restartCount, 1);
    assert.deepEqual([app.lastState?.terminated?.reason, app.lastState?.terminated?.exitCode], ['OOMKilled', 137]);
  });

  test('containers are created while the network comes up; none starts before it is up; one whose env names the pod IP waits for it', async () => {
    h = harness(dir, () => ({}));
    let release = () => undefined as void;
    h.networkGate = new Promise<void>((resolve) => { release = resolve; });
    const ipEnv = [{ name: 'MY_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }];
    const syncing = h.worker.sync('uid-1', pod({ containers: [{ name: 'a', image: 'busybox', command: ['x'] }, { name: 'b', image: 'busybox', command: ['y'], env: ipEnv }] }));
    const states = async () => (await h.runtime.listContainers()).map((c) => `${c.metadata.name} ${c.state}`).sort();
    // The sync does file work of its own (pod dir, hosts file): wait for the creation it leads to.
    for (const deadline = Date.now() + 5000; (await states()).length === 0 && Date.now() < deadline;) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(await states(), ['a created'], 'a is created in the sandbox before its network; b waits for the IP');
    assert.deepEqual(h.events.filter((e) => e.includes('Created')), [], 'Created is told once the network is up');
    release();
    await syncing;
    assert.deepEqual(await states(), ['a running', 'b running']);
    assert.equal(lastStatus().podIP, '10.42.0.7');
  });

  test('a network that fails: FailedCreatePodSandBox, the sandbox and what was made in it removed, nothing started, a retry', async () => {
    h = harness(dir, () => ({}));
    h.networkError = new Error('plugin type="bridge" failed (add): no bridge');
    const result = await h.worker.sync('uid-1', pod());
    assert.deepEqual(await h.runtime.listSandboxes(), []);
    assert.deepEqual(await h.runtime.listContainers(), []);
    assert.ok(h.events.includes('Warning FailedCreatePodSandBox Failed to create pod sandbox: plugin type="bridge" failed (add): no bridge'), h.events.join('\n'));
    assert.deepEqual(h.events.filter((e) => / (Created|Started) /.test(e)), []);
    assert.deepEqual(lastStatus().containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    assert.ok(result && result.requeueAfterMs > 0);
    h.networkError = undefined;
    await h.worker.sync('uid-1', pod());
    assert.equal(lastStatus().phase, 'Running');
  });

  test('a sandbox that died is re-created and the containers start again with higher restart counts', async () => {
    h = harness(dir, () => ({}));
    const p = pod();
    await h.worker.sync('uid-1', p);
    const [sandbox] = await h.runtime.listSandboxes();
    await h.runtime.stopSandbox(sandbox!.id);
    await h.worker.sync('uid-1', p);
    const ready = (await h.runtime.listSandboxes()).filter((s) => s.state === 'ready');
    assert.equal(ready.length, 1);
    assert.notEqual(ready[0]!.id, sandbox!.id);
    assert.equal(lastStatus().containerStatuses?.[0]?.restartCount, 1);
    assert.ok(h.events.includes('Normal SandboxChanged Pod sandbox changed, it will be killed and re-created.'));
  });
});
