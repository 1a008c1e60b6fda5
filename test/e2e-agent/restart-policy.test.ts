// Restart policies on a real node through kubectl 1.32: Always restarts with the kubelet's crash
// back-off (at once, then 10 s, then 20 s after each exit), OnFailure restarts a failure only and
// ends Succeeded, and the RESTARTS column, restartCount and lastState follow.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectlWatch } from '../support/kubectl.ts';
import { agentServer, secondsBetween, statusOf } from './lifecycle-helpers.ts';
import { busybox, createPod, deletePod, eventsInclude, podRow, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod } from './support.ts';

const timeout = 120_000;

describe('restart policies on a real node', { concurrency: true }, () => {
  const agent = agentServer();

  test('Always: the crash back-off waits 0 s, then 10 s, then 20 s after each exit', { timeout }, async () => {
    const server = agent();
    // Every status the agent writes, through a watch: restarts are seen however slowly kubectl runs.
    const fields = '{.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].lastState.terminated.finishedAt} {.status.containerStatuses[0].state.running.startedAt}{"\\n"}';
    await createPod(server, podWith('backoff', { terminationGracePeriodSeconds: 1, containers: [busybox('c', { command: ['sh', '-c', 'sleep 1; exit 2'] })] }));
    const watch = kubectlWatch(server, ['pod', 'backoff', '-o', `jsonpath=${fields}`]);
    // Each restart's wait: from the previous attempt's finish to the new attempt's start.
    const waits: number[] = [];
    try {
      for (let restart = 1; restart <= 3; restart++) {
        const line = await watch.stdoutLines.take(`restart ${restart} running`, (l) => {
          const [count, , startedAt] = l.trim().split(' ');
          return Number(count) === restart && startedAt !== undefined;
        }, 90_000);
        const [, finishedAt, startedAt] = line.trim().split(' ');
        waits.push(secondsBetween(finishedAt, startedAt));
      }
    } finally {
      await watch.kill();
    }
    const [first, second, third] = waits as [number, number, number];
    assert.ok(first <= 6, `first restart at once: ${waits.join(', ')} s`);
    assert.ok(second >= 9 && second <= 20, `second after the 10 s back-off: ${waits.join(', ')} s`);
    assert.ok(third >= 19 && third <= 32, `third after 20 s: ${waits.join(', ')} s`);
    const row = await podRow(server, 'backoff');
    assert.match(row.RESTARTS ?? '', /^3 \(\d+s ago\)$/);
    await eventsInclude(server, 'backoff', [/^Warning BackOff: Back-off restarting failed container c in pod backoff_default\(/]);
    await deletePod(server, 'backoff');
  });

  test('OnFailure: a failure is restarted, a success ends the pod Succeeded/Completed', { timeout }, async () => {
    const server = agent();
    // Fails on its first run (no marker in the pod's emptyDir yet), succeeds on the second.
    const script = 'if [ -e /work/ran ]; then echo second; exit 0; fi; touch /work/ran; echo first; exit 1';
    await createPod(server, podWith('on-failure', {
      restartPolicy: 'OnFailure',
      volumes: [{ name: 'work', emptyDir: {} }],
      containers: [busybox('c', { command: ['sh', '-c', script], volumeMounts: [{ name: 'work', mountPath: '/work' }] })],
    }));
    const row = await statusBecomes(server, 'on-failure', 'Completed', 60_000);
    assert.equal(row.READY, '0/1');
    assert.match(row.RESTARTS ?? '', /^1 \(\d+s ago\)$/);
    const pod = await getPod(server, 'on-failure');
    assert.equal(pod.status?.phase, 'Succeeded');
    const c = statusOf(pod, 'c');
    assert.deepEqual([c.restartCount, c.state?.terminated?.exitCode, c.state?.terminated?.reason], [1, 0, 'Completed']);
    assert.deepEqual([c.lastState?.terminated?.exitCode, c.lastState?.terminated?.reason], [1, 'Error']);
    assert.deepEqual(pod.status?.conditions?.filter((x) => x.type !== 'PodScheduled').map((x) => [x.type, x.status, x.reason ?? '']), [
      ['PodReadyToStartContainers', 'False', ''], ['Initialized', 'True', 'PodCompleted'], ['Ready', 'False', 'PodCompleted'], ['ContainersReady', 'False', 'PodCompleted'],
    ]);
    await deletePod(server, 'on-failure');
  });

  test('OnFailure with a container exiting 0 at once: no restart, Succeeded', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('on-failure-ok', { restartPolicy: 'OnFailure', containers: [busybox('c', { command: ['true'] })] }));
    const row = await statusBecomes(server, 'on-failure-ok', 'Completed', 60_000);
    assert.equal(row.RESTARTS, '0');
    assert.equal((await getPod(server, 'on-failure-ok')).status?.phase, 'Succeeded');
    await deletePod(server, 'on-failure-ok');
  });
});
