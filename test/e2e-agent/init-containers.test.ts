// Init containers and native sidecars on a real node through kubectl 1.32: init containers run
// one at a time, in order, each to success, before the app (Init:N/M, then PodInitializing and
// Running); a failing one is retried under Always (Init:CrashLoopBackOff) and fails the pod under
// Never (Init:Error); sidecars start in order, run beside the app (READY counts them) and stop
// after it.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { eventually } from '../support/wait.ts';
import { agentServer, statusOf, watchStatus } from './lifecycle-helpers.ts';
import { busybox, createPod, deletePod, eventsInclude, kubectlOk, podRow, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod } from './support.ts';

const timeout = 120_000;
const shared = { volumes: [{ name: 'work', emptyDir: {} }] };
const mounted = (name: string, script: string, extra: Partial<Container> = {}): Container =>
  busybox(name, { command: ['sh', '-c', script], volumeMounts: [{ name: 'work', mountPath: '/work' }], ...extra });

describe('init containers and sidecars on a real node', { concurrency: true }, () => {
  const agent = agentServer();

  test('two init containers run in order, one at a time, before the app: Init:0/2, Init:1/2, Running', { timeout }, async () => {
    const server = agent();
    const watch = watchStatus(server, 'ordered');
    try {
      await createPod(server, podWith('ordered', {
        ...shared, terminationGracePeriodSeconds: 1,
        initContainers: [
          mounted('first', 'echo "first start $(cat /proc/uptime)" >> /work/log; sleep 2; echo "first end $(cat /proc/uptime)" >> /work/log'),
          mounted('second', 'echo "second start $(cat /proc/uptime)" >> /work/log; sleep 2; echo "second end $(cat /proc/uptime)" >> /work/log'),
        ],
        containers: [mounted('app', 'echo "app start $(cat /proc/uptime)" >> /work/log; cat /work/log; trap "exit 0" TERM; sleep 3600 & wait')],
      }));
      await watch.until('Init:0/2');
      await watch.until('Init:1/2');
      await watch.until('Running');
    } finally {
      await watch.stop();
    }
    const lines = (await kubectlOk(server, ['logs', 'ordered'])).trim().split('\n').map((l) => l.split(' '));
    assert.deepEqual(lines.map((l) => `${l[0]} ${l[1]}`), ['first start', 'first end', 'second start', 'second end', 'app start']);
    const times = lines.map((l) => Number(l[2]));
    assert.ok(times.every((t, i) => i === 0 || t >= times[i - 1]!), `in order: ${times.join(' ')}`);
    const pod = await getPod(server, 'ordered');
    assert.deepEqual(pod.status?.initContainerStatuses?.map((s) => [s.name, s.ready, s.state?.terminated?.reason, s.state?.terminated?.exitCode]), [
      ['first', true, 'Completed', 0], ['second', true, 'Completed', 0],
    ]);
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'Initialized')?.status, 'True');
    const row = await podRow(server, 'ordered');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['1/1', 'Running', '0']);
    assert.match(await kubectlOk(server, ['describe', 'pod', 'ordered']), /Init Containers:\n\s+first:[\s\S]*State:\s+Terminated\n\s+Reason:\s+Completed/);
    await deletePod(server, 'ordered');
  });

  test('a failing init container under restartPolicy Never: Init:Error, phase Failed, the app never started', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('init-never', {
      restartPolicy: 'Never',
      initContainers: [busybox('setup', { command: ['sh', '-c', 'echo cannot set up; exit 3'] })],
      containers: [busybox('app', { command: ['true'] })],
    }));
    const row = await statusBecomes(server, 'init-never', 'Init:Error', 60_000);
    assert.deepEqual([row.READY, row.RESTARTS], ['0/1', '0']);
    const pod = await getPod(server, 'init-never');
    assert.equal(pod.status?.phase, 'Failed');
    assert.deepEqual([statusOf(pod, 'setup').state?.terminated?.exitCode, statusOf(pod, 'setup').state?.terminated?.reason], [3, 'Error']);
    assert.deepEqual(statusOf(pod, 'app').state, { waiting: { reason: 'PodInitializing' } });
    const initialized = pod.status?.conditions?.find((c) => c.type === 'Initialized');
    assert.deepEqual([initialized?.status, initialized?.reason, initialized?.message], ['False', 'ContainersNotInitialized', 'containers with incomplete status: [setup]']);
    await deletePod(server, 'init-never');
  });

  test('a failing init container under Always is retried with back-off: Init:CrashLoopBackOff', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('init-loop', {
      initContainers: [busybox('setup', { command: ['sh', '-c', 'exit 1'] })],
      containers: [busybox('app', { command: ['true'] })],
    }));
    const row = await statusBecomes(server, 'init-loop', 'Init:CrashLoopBackOff', 60_000);
    assert.equal(row.READY, '0/1');
    const pod = await getPod(server, 'init-loop');
    assert.equal(pod.status?.phase, 'Pending');
    const setup = statusOf(pod, 'setup');
    assert.ok(setup.restartCount >= 1);
    assert.equal(setup.state?.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(setup.lastState?.terminated?.exitCode, 1);
    assert.match(row.RESTARTS ?? '', /^\d+ \(\d+s ago\)$/);
    await eventsInclude(server, 'init-loop', [/^Warning BackOff: Back-off restarting failed container setup in pod init-loop_default\(/]);
    await deletePod(server, 'init-loop');
  });

  test('sidecars start in order before the app, run beside it, and stop after it; the pod then Succeeds', { timeout }, async () => {
    const server = agent();
    const sidecar = (name: string) => busybox(name, { restartPolicy: 'Always', command: ['sh', '-c', `echo "start $(cat /proc/uptime)"; trap 'echo "stop $(cat /proc/uptime)"; exit 0' TERM; sleep 3600 & wait`] });
    await createPod(server, podWith('sidecars', {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 5,
      initContainers: [sidecar('proxy'), sidecar('logger')],
      containers: [busybox('app', { command: ['sh', '-c', 'echo "start $(cat /proc/uptime)"; sleep 4; echo "stop $(cat /proc/uptime)"'] })],
    }));
    const running = await eventually('READY 3/3 while the app runs', async () => {
      const row = await podRow(server, 'sidecars');
      return row.READY === '3/3' ? row : undefined;
    }, 60_000, 250);
    assert.equal(running.STATUS, 'Running');
    const during = await getPod(server, 'sidecars');
    assert.deepEqual(['proxy', 'logger'].map((n) => [statusOf(during, n).started, statusOf(during, n).ready]), [[true, true], [true, true]]);
    const done = await statusBecomes(server, 'sidecars', 'Completed', 60_000);
    assert.equal(done.READY, '0/3');
    const pod = await getPod(server, 'sidecars');
    assert.equal(pod.status?.phase, 'Succeeded');
    // Each process wrote when it started and when it was told to stop (uptime, one clock for all).
    const seen: Record<string, Record<string, number>> = {};
    for (const name of ['proxy', 'logger', 'app']) {
      const lines = (await kubectlOk(server, ['logs', 'sidecars', '-c', name])).trim().split('\n').map((l) => l.split(' '));
      seen[name] = Object.fromEntries(lines.map(([what, at]) => [what!, Number(at)]));
    }
    const { proxy, logger, app } = seen as Record<'proxy' | 'logger' | 'app', Record<'start' | 'stop', number>>;
    assert.ok(proxy.start <= logger.start && logger.start <= app.start, `started proxy, logger, app: ${JSON.stringify(seen)}`);
    assert.ok(app.stop <= logger.stop && logger.stop <= proxy.stop, `stopped app, logger, proxy: ${JSON.stringify(seen)}`);
    assert.deepEqual(['proxy', 'logger'].map((n) => statusOf(pod, n).state?.terminated?.exitCode), [0, 0], 'the sidecars ended on SIGTERM');
    await deletePod(server, 'sidecars');
  });
});
