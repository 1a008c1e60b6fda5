// The pod lifecycle on the fake runtime: init containers in order, sidecars stopped last, probe
// kills, hooks, grace periods, termination messages and the active deadline.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { harness, pod, type Harness } from './harness.ts';

let dir: string;
let h: Harness;
const last = (): PodStatus => h.statuses.at(-1)!;
const containerNames = async () => (await h.runtime.listContainers()).map((c) => `${c.metadata.name}:${c.state}`).sort();

beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'podworker-lifecycle-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('pod worker lifecycle', () => {
  test('init containers run one per sync, in order, before the app container; statuses and conditions follow', async () => {
    h = harness(dir, (name) => (name.startsWith('init') ? { exitCode: 0 } : {}));
    const p = pod({ initContainers: [{ name: 'init1', image: 'busybox' }, { name: 'init2', image: 'busybox' }] });
    await h.worker.sync('uid-1', p);
    assert.deepEqual(await containerNames(), ['init1:exited']);
    assert.equal(last().phase, 'Pending');
    assert.deepEqual(last().initContainerStatuses?.map((s) => [s.name, s.ready, Object.keys(s.state ?? {})[0]]), [['init1', true, 'terminated'], ['init2', false, 'waiting']]);
    assert.deepEqual(last().initContainerStatuses?.[1]?.state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(last().containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
    const initialized = last().conditions?.find((c) => c.type === 'Initialized');
    assert.deepEqual([initialized?.status, initialized?.reason, initialized?.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [init2]']);
    await h.worker.sync('uid-1', p);
    assert.deepEqual(await containerNames(), ['init1:exited', 'init2:exited']);
    await h.worker.sync('uid-1', p);
    assert.deepEqual(await containerNames(), ['app:running', 'init1:exited', 'init2:exited']);
    assert.equal(last().phase, 'Running');
    assert.equal(last().conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
  });

  test('a failing init container under restartPolicy Never fails the pod without starting the app', async () => {
    h = harness(dir, () => ({ exitCode: 2 }));
    await h.worker.sync('uid-1', pod({ restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox' }] }));
    await h.worker.sync('uid-1', pod({ restartPolicy: 'Never', initContainers: [{ name: 'init', image: 'busybox' }] }));
    assert.equal(last().phase, 'Failed');
    assert.deepEqual(await containerNames(), ['init:exited']);
    assert.equal(last().initContainerStatuses?.[0]?.state?.terminated?.exitCode, 2);
  });

  test('a liveness failure: Killing with the kubelet\'s words, the probe-level grace period, then a new attempt', async () => {
    h = harness(dir, () => ({ ignoresSigterm: true }));
    const p = pod({ terminationGracePeriodSeconds: 30, containers: [{ name: 'app', image: 'busybox', livenessProbe: { exec: { command: ['false'] }, terminationGracePeriodSeconds: 3 } }] });
    await h.worker.sync('uid-1', p);
    const [first] = await h.runtime.listContainers();
    h.probes.set(`liveness/${first!.id}`, 'Failure');
    const before = h.clock.now().getTime();
    await h.worker.sync('uid-1', p);
    assert.equal(h.clock.now().getTime() - before, 3_000, 'SIGTERM ignored: SIGKILL after the probe\'s 3 s, not the pod\'s 30 s');
    assert.ok(h.events.includes('Normal Killing Container app failed liveness probe, will be restarted'));
    const app = last().containerStatuses![0]!;
    assert.equal(app.restartCount, 1);
    assert.ok(app.state?.running);
    assert.deepEqual([app.lastState?.terminated?.exitCode, app.lastState?.terminated?.reason], [137, 'Error']);
  });

  test('readiness and startup results drive ready, started and the pod conditions', async () => {
    h = harness(dir, () => ({}));
    const p = pod({ containers: [{ name: 'app', image: 'busybox', readinessProbe: { exec: { command: ['true'] } }, startupProbe: { exec: { command: ['true'] } } }] });
    await h.worker.sync('uid-1', p);
    const id = (await h.runtime.listContainers())[0]!.id;
    const flags = () => [last().containerStatuses![0]!.started, last().containerStatuses![0]!.ready, last().conditions?.find((c) => c.type === 'Ready')?.status];
    assert.deepEqual(flags(), [false, false, 'False']);
    h.probes.set(`startup/${id}`, 'Success');
    await h.worker.sync('uid-1', p);
    assert.deepEqual(flags(), [true, false, 'False']);
    h.probes.set(`readiness/${id}`, 'Success');
    await h.worker.sync('uid-1', p);
    assert.deepEqual(flags(), [true, true, 'True']);
    assert.equal(h.probed.at(-1), last(), 'the probers see each new status');
  });

  test('a failed exec postStart hook: FailedPostStartHook with the kubelet\'s message, the container killed', async () => {
    h = harness(dir, () => ({}), (_c, cmd) => (cmd[0] === 'sh' ? { stderr: 'boom\n', exitCode: 1 } : undefined));
    const p = pod({ containers: [{ name: 'app', image: 'busybox', lifecycle: { postStart: { exec: { command: ['sh', '-c', 'exit 1'] } } } }] });
    await h.worker.sync('uid-1', p);
    const message = 'Exec lifecycle hook ([sh -c exit 1]) for Container "app" in Pod "web_default(uid-1)" failed - error: command \'sh -c exit 1\' exited with 1: boom\n, message: "boom\\n"';
    assert.ok(h.events.includes(`Warning FailedPostStartHook ${message}`), h.events.join('\n'));
    assert.ok(h.events.includes('Normal Killing FailedPostStartHook'));
    assert.deepEqual(last().containerStatuses?.[0]?.state, { waiting: { reason: 'PostStartHookError', message } });
    assert.deepEqual(await containerNames(), ['app:exited']);
  });

  test('deletion runs the preStop hook, then stops with what is left of the grace period; sidecars stop last', async () => {
    const order: string[] = [];
    h = harness(dir, () => ({ ignoresSigterm: true }), (c, cmd) => { order.push(`${c.metadata.name}: ${cmd.join(' ')}`); return { hangs: true }; });
    const p = pod({
      terminationGracePeriodSeconds: 10,
      initContainers: [{ name: 'proxy', image: 'busybox', restartPolicy: 'Always' }],
      containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { exec: { command: ['drain'] } } } }],
    });
    await h.worker.sync('uid-1', p);
    await h.worker.sync('uid-1', p);
    assert.deepEqual(await containerNames(), ['app:running', 'proxy:running']);
    const start = h.clock.now().getTime();
    await h.worker.sync('uid-1', { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-11-23T10:00:05Z', deletionGracePeriodSeconds: 10 } });
    assert.deepEqual(order, ['app: drain']);
    // The hook hung for the whole 10 s; the kubelet still leaves 2 s before SIGKILL. Then the sidecar's 10 s.
    assert.equal(h.clock.now().getTime() - start, 10_000 + 2_000 + 10_000);
    const killing = h.events.filter((e) => e.startsWith('Normal Killing'));
    assert.deepEqual(killing, ['Normal Killing Stopping container app', 'Normal Killing Stopping container proxy']);
    assert.deepEqual(h.deleted, ['uid-1']);
  });

  test('a failed preStop hook: FailedPreStopHook without the command\'s output', async () => {
    h = harness(dir, () => ({}), () => ({ stdout: 'secret', exitCode: 3 }));
    const p = pod({ containers: [{ name: 'app', image: 'busybox', lifecycle: { preStop: { exec: { command: ['x'] } } } }] });
    await h.worker.sync('uid-1', p);
    await h.worker.sync('uid-1', { ...p, metadata: { ...p.metadata, deletionTimestamp: '2026-11-23T10:00:05Z', deletionGracePeriodSeconds: 30 } });
    assert.ok(h.events.includes('Warning FailedPreStopHook PreStopHook failed'), h.events.join('\n'));
  });

  test('the termination message file becomes terminated.message; FallbackToLogsOnError reads the log on failure', async () => {
    h = harness(dir, (name) => (name === 'file' ? {} : { exitCode: 1, stdout: ['last words'] }));
    const p = pod({
      restartPolicy: 'Never',
      containers: [{ name: 'file', image: 'busybox' }, { name: 'logs', image: 'busybox', terminationMessagePolicy: 'FallbackToLogsOnError' }],
    });
    await h.worker.sync('uid-1', p);
    const file = (await h.runtime.listContainers()).find((c) => c.metadata.name === 'file')!;
    await writeFile(join(dir, 'pods', 'uid-1', 'containers', 'file', '0', 'termination-log'), 'from the file');
    h.runtime.exitContainer(file.id, 0);
    await h.worker.sync('uid-1', { ...p, status: last() });
    const messages = last().containerStatuses?.map((s) => s.state?.terminated?.message);
    assert.deepEqual(messages, ['from the file', 'last words\n']);
  });

  test('activeDeadlineSeconds: the DeadlineExceeded event, containers stopped, phase Failed with the reason', async () => {
    h = harness(dir, () => ({}));
    const p = pod({ activeDeadlineSeconds: 5, terminationGracePeriodSeconds: 3 });
    const result = await h.worker.sync('uid-1', p);
    assert.deepEqual(result, { requeueAfterMs: 5_000 });
    h.clock.advance(5_000);
    await h.worker.sync('uid-1', { ...p, status: last() });
    assert.deepEqual([last().phase, last().reason, last().message], ['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline']);
    assert.ok(h.events.includes('Normal DeadlineExceeded Pod was active on the node longer than the specified deadline'));
    assert.ok(h.events.includes('Normal Killing Stopping container app'));
    assert.equal(last().containerStatuses?.[0]?.state?.terminated?.exitCode, 143);
    assert.equal((await h.runtime.listSandboxes())[0]?.state, 'notready');
  });
});
