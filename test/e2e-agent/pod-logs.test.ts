// `kubectl logs` against containers running on a real node: the options kubectl 1.32 sends
// (container, tail, timestamps, since, limit-bytes, follow, previous) and the errors it prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlSpawn } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { busybox, createPod, deletePod, podWith, statusBecomes, waitingBecomes } from './pod-helpers.ts';
import { getPod, untilTerm } from './support.ts';

const timeout = 90_000;
// Container "a" writes three stdout lines, then (a moment later, so that the two streams cannot
// interleave) one stderr line; container "b" ticks twice a second.
const writerScript = 'echo out-1; echo out-2; echo out-3; sleep 0.3; echo err-1 >&2';
const tickerScript = 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.5; done';
const allLines = 'out-1\nout-2\nout-3\nerr-1\n';

describe('kubectl logs on a real node', { concurrency: true }, () => {
  let server: TestServer;
  const logs = (args: string[]) => kubectl(server, ['logs', ...args]);

  before(async () => {
    server = await startServer({ agent: true });
    await createPod(server, podWith('two', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('a', { command: untilTerm(`${writerScript};`) }), busybox('b', { command: untilTerm(`${tickerScript} &`) })],
    }));
    await statusBecomes(server, 'two', 'Running');
    await eventually('all of container a\'s lines', async () => ((await logs(['two', '-c', 'a'])).stdout === allLines ? true : undefined), 15_000);
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods,configmaps', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
  });

  test('plain logs hold stdout and stderr; without -c kubectl defaults to the first container', { timeout }, async () => {
    assert.deepEqual(await logs(['two', '-c', 'a']), { code: 0, stdout: allLines, stderr: '' });
    const defaulted = await logs(['two']);
    assert.equal(defaulted.stdout, allLines);
    assert.equal(defaulted.stderr, 'Defaulted container "a" out of: a, b\n');
    assert.match((await logs(['two', '-c', 'b'])).stdout, /^tick 1\ntick 2\n/);
  });

  test('--tail=2 gives the last two lines', { timeout }, async () => {
    assert.equal((await logs(['two', '-c', 'a', '--tail=2'])).stdout, 'out-3\nerr-1\n');
    assert.equal((await logs(['two', '-c', 'a', '--tail=0'])).stdout, '');
  });

  test('--timestamps prefixes each line with its time, nanoseconds fixed to nine digits', { timeout }, async () => {
    const lines = (await logs(['two', '-c', 'a', '--timestamps'])).stdout.trimEnd().split('\n');
    assert.equal(lines.length, 4);
    const started = Date.parse((await getPod(server, 'two')).status?.startTime ?? '');
    lines.forEach((line, i) => {
      // The kubelet writes RFC3339NanoFixed: always nine fraction digits, trailing zeros kept.
      const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z) (.*)$/.exec(line);
      assert.ok(match, `not "RFC3339NanoFixed line": ${line}`);
      assert.equal(`${match[2]}\n`, allLines.split('\n')[i] + '\n');
      const at = Date.parse(match[1]!);
      assert.ok(at >= started - 1_000 && at <= Date.now(), `${match[1]} between the pod's start and now`);
    });
  });

  test('--since=1h keeps every recent line, --since=1s drops old ones; --limit-bytes=5 cuts the output', { timeout }, async () => {
    assert.equal((await logs(['two', '-c', 'a', '--since=1h'])).stdout, allLines);
    await eventually('no line of container a in the last second', async () => ((await logs(['two', '-c', 'a', '--since=1s'])).stdout === '' ? true : undefined));
    assert.equal((await logs(['two', '-c', 'a', '--limit-bytes=5'])).stdout, 'out-1');
  });

  test('-f streams new lines as they are written until kubectl is killed', { timeout }, async () => {
    const follow = kubectlSpawn(server, ['logs', '-f', 'two', '-c', 'b', '--tail=1']);
    try {
      const first = await follow.stdoutLines.take('a tick', (line) => /^tick \d+$/.test(line));
      const n = Number(first.split(' ')[1]);
      await follow.stdoutLines.take(`tick ${n + 2}, written after kubectl started`, (line) => line === `tick ${n + 2}`, 10_000);
      assert.equal(follow.stdoutLines.received.filter((line) => !/^tick \d+$/.test(line)).length, 0);
    } finally {
      await follow.kill();
    }
  });

  test('--previous shows the attempt before the restart', { timeout }, async () => {
    // The attempt number lives in an emptyDir, which outlives container restarts.
    const script = 'n=$(( $(cat /state/n 2>/dev/null || echo 0) + 1 )); echo $n > /state/n; echo attempt $n; [ $n -ge 2 ] || exit 1';
    await createPod(server, podWith('restarted', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('r', { command: untilTerm(`${script};`), volumeMounts: [{ name: 'state', mountPath: '/state' }] })],
      volumes: [{ name: 'state', emptyDir: {} }],
    }));
    await eventually('the second attempt running', async () => ((await logs(['restarted'])).stdout === 'attempt 2\n' ? true : undefined), 30_000, 250);
    assert.deepEqual(await logs(['restarted', '--previous']), { code: 0, stdout: 'attempt 1\n', stderr: '' });
    assert.equal((await getPod(server, 'restarted')).status?.containerStatuses?.[0]?.restartCount, 1);
    await deletePod(server, 'restarted');
  });

  test('--previous without a restart, and an unknown container, are errors', { timeout }, async () => {
    const previous = await logs(['two', '-c', 'a', '--previous']);
    assert.equal(previous.code, 1);
    assert.equal(previous.stderr, 'Error from server (BadRequest): previous terminated container "a" in pod "two" not found\n');
    const unknown = await logs(['two', '-c', 'nope']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'error: container nope is not valid for pod two\n');
  });

  test('a container still waiting: "is waiting to start" with its reason', { timeout }, async () => {
    const env = [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'x' } } }];
    await createPod(server, podWith('config-wait', { containers: [busybox('c', { command: ['true'], env })] }));
    await createPod(server, podWith('image-wait', { containers: [busybox('c', { image: 'busybox:nope' })] }));
    await waitingBecomes(server, 'config-wait', 'CreateContainerConfigError');
    const config = await logs(['config-wait']);
    assert.equal(config.code, 1);
    assert.equal(config.stderr, 'Error from server (BadRequest): container "c" in pod "config-wait" is waiting to start: CreateContainerConfigError\n');
    await waitingBecomes(server, 'image-wait', 'ImagePullBackOff');
    const image = await logs(['image-wait']);
    assert.equal(image.stderr, 'Error from server (BadRequest): container "c" in pod "image-wait" is waiting to start: trying and failing to pull image\n');
    await deletePod(server, 'config-wait');
    await deletePod(server, 'image-wait');
  });
});
