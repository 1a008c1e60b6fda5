// Termination on a real node through kubectl 1.32, with timestamps the processes write to a
// hostPath directory (uptime: one clock for the node, its containers and the test):
//   preStop hook ─▶ SIGTERM to PID 1 ─▶ up to the grace period (minus the hook's time) ─▶ SIGKILL
// a process that exits on SIGTERM ends there; one that ignores it is killed when the grace runs
// out; the image's STOPSIGNAL replaces SIGTERM; the delete's --grace-period wins over the spec's; a liveness kill uses the probe's own
// grace period and leaves exit code 137 when SIGTERM was ignored; termination messages;
// activeDeadlineSeconds.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { kubectl } from '../support/kubectl.ts';
import type { TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { agentServer, nodeDir, statusOf, uptime, watchStatus } from './lifecycle-helpers.ts';
import { busybox, createPod, eventsInclude, kubectlOk, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod } from './support.ts';

const timeout = 120_000;
const out = (path: string) => ({ volumes: [{ name: 'out', hostPath: { path, type: 'Directory' as const } }] });
const outMount = { volumeMounts: [{ name: 'out', mountPath: '/out' }] };
/** A shell line appending "WHAT <uptime>" to /out/FILE. */
const note = (file: string, what: string) => `read up rest < /proc/uptime; echo "${what} $up" >> /out/${file}`;

function preStopping(file: string, onTerm: 'exit' | 'ignore', preStopSeconds: number): Container {
  const trap = onTerm === 'exit' ? `trap '${note(file, 'TERM')}; exit 0' TERM` : `trap '${note(file, 'TERM')}' TERM`;
  return busybox('c', {
    ...outMount,
    command: ['sh', '-c', `${trap}; ${note(file, 'start')}; while :; do ${note(file, 'alive')}; sleep 0.2; done`],
    lifecycle: { preStop: { exec: { command: ['sh', '-c', `${note(file, 'preStop')}; sleep ${preStopSeconds}; ${note(file, 'preStopEnd')}`] } } },
  });
}

/** kubectl delete (waiting for the pod to be gone): when it was asked, by the node's clock, and how long it took. */
async function timedDelete(server: TestServer, name: string, args: string[] = []): Promise<{ at: number; seconds: number }> {
  const at = await uptime();
  await kubectlOk(server, ['delete', 'pod', name, ...args]);
  return { at, seconds: (await uptime()) - at };
}

const first = (rows: string[][], what: string) => Number(rows.find((r) => r[0] === what)?.[1] ?? NaN);
const last = (rows: string[][], what: string) => Number(rows.filter((r) => r[0] === what).at(-1)?.[1] ?? NaN);

async function waitRunning(server: TestServer, name: string): Promise<Pod> {
  return eventually(`${name} running`, async () => {
    const pod = await getPod(server, name);
    return pod.status?.containerStatuses?.[0]?.state?.running ? pod : undefined;
  }, 60_000, 250);
}

describe('termination on a real node', { concurrency: true }, () => {
  const agent = agentServer();

  test('preStop output, then SIGTERM seen by the process, which exits: the pod is gone well before the grace period', { timeout }, async () => {
    const server = agent();
    const dir = await nodeDir();
    try {
      await createPod(server, podWith('term-exit', { ...out(dir.path), terminationGracePeriodSeconds: 60, containers: [preStopping('log', 'exit', 2)] }));
      await waitRunning(server, 'term-exit');
      const deletion = await timedDelete(server, 'term-exit');
      const rows = await dir.read('log');
      const [preStop, preStopEnd, term] = [first(rows, 'preStop'), first(rows, 'preStopEnd'), first(rows, 'TERM')];
      assert.ok(preStop >= deletion.at - 0.5, `preStop ran after the delete: ${JSON.stringify(rows.slice(-6))}`);
      assert.ok(term >= preStopEnd && preStopEnd - preStop >= 1.9, `SIGTERM after the 2 s hook: preStop ${preStop}, hook end ${preStopEnd}, TERM ${term}`);
      assert.ok(term - preStopEnd <= 3, `SIGTERM right after the hook: ${term - preStopEnd} s`);
      assert.ok(last(rows, 'alive') <= term + 0.5, 'nothing ran after the exit');
      assert.ok(deletion.seconds < 30, `deleted in ${deletion.seconds} s of a 60 s grace period`);
    } finally {
      await dir.remove();
    }
  });

  test('a process ignoring SIGTERM runs until the grace period (preStop time included) is over, then SIGKILL', { timeout }, async () => {
    const server = agent();
    const dir = await nodeDir();
    try {
      await createPod(server, podWith('term-ignore', { ...out(dir.path), terminationGracePeriodSeconds: 5, containers: [preStopping('log', 'ignore', 1)] }));
      await waitRunning(server, 'term-ignore');
      const deletion = await timedDelete(server, 'term-ignore');
      const rows = await dir.read('log');
      const [preStop, term, lastAlive] = [first(rows, 'preStop'), first(rows, 'TERM'), last(rows, 'alive')];
      assert.ok(term - preStop >= 0.9, `SIGTERM after the 1 s hook: preStop ${preStop}, TERM ${term}`);
      // 5 s from the kill (the hook's 1 s included), then SIGKILL. The grace period runs from the
      // kill, not from the hook's first line (its exec may start late on a busy node): the
      // process lives on until at least 5 s after the delete was asked, less a tick or two of its loop.
      assert.ok(lastAlive - deletion.at >= 4.5, `alive until ${lastAlive - deletion.at} s after the delete`);
      assert.ok(lastAlive - preStop <= 12, `alive until ${lastAlive - preStop} s after preStop`);
      assert.ok(deletion.seconds >= 4.5 && deletion.seconds <= 40, `deleted in ${deletion.seconds} s with a 5 s grace period`);
    } finally {
      await dir.remove();
    }
  });

  test('the image\'s STOPSIGNAL (SIGQUIT) is what the process gets instead of SIGTERM', { timeout }, async () => {
    const server = agent();
    const dir = await nodeDir();
    try {
      await createPod(server, podWith('stop-signal', {
        ...out(dir.path), terminationGracePeriodSeconds: 60,
        containers: [busybox('c', {
          ...outMount, image: 'busybox:stopsignal',
          command: ['sh', '-c', `trap '${note('log', 'QUIT')}; exit 0' QUIT; trap '${note('log', 'TERM')}' TERM; ${note('log', 'start')}; sleep 3600 & wait`],
        })],
      }));
      await waitRunning(server, 'stop-signal');
      const deletion = await timedDelete(server, 'stop-signal');
      const rows = await dir.read('log');
      assert.deepEqual(rows.map((r) => r[0]), ['start', 'QUIT'], 'SIGQUIT, and no SIGTERM');
      assert.ok(deletion.seconds < 30, `deleted in ${deletion.seconds} s of a 60 s grace period: the process ended on SIGQUIT`);
    } finally {
      await dir.remove();
    }
  });

  test('kubectl delete --grace-period=2 cuts a 60 s grace period short', { timeout }, async () => {
    const server = agent();
    const dir = await nodeDir();
    try {
      await createPod(server, podWith('term-override', {
        ...out(dir.path), terminationGracePeriodSeconds: 60,
        containers: [busybox('c', { ...outMount, command: ['sh', '-c', `trap '${note('log', 'TERM')}' TERM; while :; do ${note('log', 'alive')}; sleep 0.2; done`] })],
      }));
      await waitRunning(server, 'term-override');
      const deletion = await timedDelete(server, 'term-override', ['--grace-period=2']);
      const rows = await dir.read('log');
      assert.ok(last(rows, 'alive') - first(rows, 'TERM') <= 8, `SIGKILL 2 s after SIGTERM: ${JSON.stringify(rows.slice(-3))}`);
      assert.ok(deletion.seconds < 30, `deleted in ${deletion.seconds} s, not 60`);
    } finally {
      await dir.remove();
    }
  });

  test('a liveness kill uses the probe\'s grace period: exit 137 when SIGTERM is ignored, the trap\'s code when not', { timeout }, async () => {
    const server = agent();
    const failing = { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1, terminationGracePeriodSeconds: 2 };
    const stubborn = busybox('stubborn', { command: ['sh', '-c', "trap 'echo TERM' TERM; while :; do sleep 0.2; done"], livenessProbe: failing });
    const polite = busybox('polite', { command: ['sh', '-c', 'trap "exit 7" TERM; sleep 3600 & wait'], livenessProbe: failing });
    await createPod(server, podWith('liveness-kill', { terminationGracePeriodSeconds: 60, containers: [stubborn, polite] }));
    const pod = await eventually('both containers restarted', async () => {
      const p = await getPod(server, 'liveness-kill');
      return ['stubborn', 'polite'].every((n) => (statusOf(p, n).restartCount ?? 0) >= 1) ? p : undefined;
    }, 90_000, 250);
    const stubbornLast = statusOf(pod, 'stubborn').lastState?.terminated;
    const politeLast = statusOf(pod, 'polite').lastState?.terminated;
    assert.deepEqual([stubbornLast?.exitCode, stubbornLast?.reason], [137, 'Error']);
    assert.deepEqual([politeLast?.exitCode, politeLast?.reason], [7, 'Error']);
    await eventsInclude(server, 'liveness-kill', ['Normal Killing: Container stubborn failed liveness probe, will be restarted']);
    await kubectlOk(server, ['delete', 'pod', 'liveness-kill', '--grace-period=1']);
  });

  test('termination messages: the file at terminationMessagePath, and the log\'s tail under FallbackToLogsOnError', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('messages', {
      restartPolicy: 'Never',
      containers: [
        busybox('file', { command: ['sh', '-c', 'echo -n "bye from the file" > /dev/termination-log; exit 1'] }),
        busybox('custom', { command: ['sh', '-c', 'echo -n custom > /tmp/why'], terminationMessagePath: '/tmp/why' }),
        busybox('logs', { command: ['sh', '-c', 'seq 1 100; exit 2'], terminationMessagePolicy: 'FallbackToLogsOnError' }),
      ],
    }));
    await statusBecomes(server, 'messages', 'Error', 60_000);
    // STATUS shows the first Error while the other containers may still run: the phase comes after.
    const pod = await eventually('phase Failed', async () => {
      const p = await getPod(server, 'messages');
      return p.status?.phase === 'Failed' ? p : undefined;
    }, 30_000, 250);
    assert.equal(statusOf(pod, 'file').state?.terminated?.message, 'bye from the file');
    assert.equal(statusOf(pod, 'custom').state?.terminated?.message, 'custom');
    const expected = Array.from({ length: 80 }, (_, i) => `${i + 21}\n`).join('');
    assert.equal(statusOf(pod, 'logs').state?.terminated?.message, expected, 'the last 80 lines of the log');
    assert.match(await kubectlOk(server, ['describe', 'pod', 'messages']), /Message:\s+bye from the file/);
    await kubectlOk(server, ['delete', 'pod', 'messages', '--grace-period=1']);
  });

  test('activeDeadlineSeconds: DeadlineExceeded while the containers stop, then phase Failed with them stopped', { timeout }, async () => {
    const server = agent();
    const watch = watchStatus(server, 'deadline');
    try {
      await createPod(server, podWith('deadline', { activeDeadlineSeconds: 5, terminationGracePeriodSeconds: 3, containers: [busybox('c', { command: ['sh', '-c', "trap '' TERM; while :; do sleep 0.2; done"] })] }));
      await watch.until('Running');
      await watch.until('DeadlineExceeded', 30_000);
      await watch.until('Error', 30_000);
    } finally {
      await watch.stop();
    }
    const pod = await getPod(server, 'deadline');
    assert.deepEqual([pod.status?.phase, pod.status?.reason, pod.status?.message], ['Failed', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline']);
    const terminated = statusOf(pod, 'c').state?.terminated;
    assert.equal(terminated?.exitCode, 137, 'SIGTERM ignored: SIGKILL after the 3 s grace period');
    const ranFor = (Date.parse(terminated?.finishedAt ?? '') - Date.parse(pod.status?.startTime ?? '')) / 1000;
    assert.ok(ranFor >= 7 && ranFor <= 60, `stopped ${ranFor} s after the start: 5 s deadline, then 3 s of grace`);
    await eventsInclude(server, 'deadline', ['Normal DeadlineExceeded: Pod was active on the node longer than the specified deadline', 'Normal Killing: Stopping container c']);
    await kubectl(server, ['delete', 'pod', 'deadline', '--grace-period=1']);
  });
});
