// kubernetes.io/egress-bandwidth on a real node: the CNI bandwidth plugin shapes what a pod sends.
// Like the kubelet, the agent asks for no burst limit, so the token bucket lets the first tens of
// megabytes through at full speed (a 300 KB file is never slowed down): the test streams a large
// file out of an annotated and a plain httpd pod and compares their rates once the bucket is empty.
// A value below the kubelet's 1k minimum fails the sandbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { busybox, createPod, deletePod, eventsInclude, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod, untilTerm } from './support.ts';

const timeout = 90_000;
const egressLimit = '1M';
const limitBitsPerSecond = 1e6;
const smallBytes = 300 * 1024;
const bigBytes = 128 * 1024 * 1024;
// The big file is sparse: no disk is written for it.
const serveFiles = `mkdir /www && dd if=/dev/zero of=/www/small bs=1024 count=${smallBytes / 1024} 2>/dev/null && ` +
  `dd if=/dev/zero of=/www/big bs=1 count=0 seek=${bigBytes} 2>/dev/null && httpd -p 80 -h /www && echo serving`;
const streamSeconds = 8;
const tailSeconds = 2;

async function servingPodIP(server: TestServer, name: string): Promise<string> {
  await statusBecomes(server, name, 'Running');
  const ip = (await getPod(server, name)).status?.podIP;
  assert.ok(ip, `${name} has a pod IP`);
  await eventually(`${name} serving on ${ip}`, async () => ((await fetch(`http://${ip}/`, { method: 'HEAD' }).catch(() => undefined)) ? true : undefined), 15_000);
  return ip;
}

/** Downloads http://IP/small and returns the seconds it took; fails unless every byte came. */
async function smallDownloadSeconds(ip: string): Promise<number> {
  const started = performance.now();
  const body = await (await fetch(`http://${ip}/small`)).arrayBuffer();
  assert.equal(body.byteLength, smallBytes);
  return (performance.now() - started) / 1000;
}

interface Stream {
  bytes: number;
  seconds: number;
  /** Bits per second over the last `tailSeconds` of the stream. */
  tailBitsPerSecond: number;
}

/** Reads http://IP/big for at most `streamSeconds`, noting how many bytes had come when. */
async function stream(ip: string): Promise<Stream> {
  const controller = new AbortController();
  const started = performance.now();
  const samples: { at: number; bytes: number }[] = [{ at: 0, bytes: 0 }];
  const response = await fetch(`http://${ip}/big`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let bytes = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      const at = (performance.now() - started) / 1000;
      samples.push({ at, bytes });
      if (at >= streamSeconds) break;
    }
  } finally {
    controller.abort();
  }
  const seconds = samples.at(-1)!.at;
  const from = samples.findLast((s) => s.at <= seconds - tailSeconds) ?? samples[0]!;
  return { bytes, seconds, tailBitsPerSecond: ((bytes - from.bytes) * 8) / (seconds - from.at) };
}

describe('pod bandwidth annotations on a real node', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
  });

  test(`egress-bandwidth ${egressLimit} holds a long download from the pod near 1 Mbit/s, at least 4x slower than a plain pod`, { timeout }, async () => {
    const spec = () => ({ terminationGracePeriodSeconds: 1, containers: [busybox('web', { command: untilTerm(`${serveFiles};`) })] });
    await createPod(server, podWith('web-limited', spec(), { 'kubernetes.io/egress-bandwidth': egressLimit }));
    await createPod(server, podWith('web-plain', spec()));
    const [limitedIP, plainIP] = await Promise.all([servingPodIP(server, 'web-limited'), servingPodIP(server, 'web-plain')]);
    const small = { plain: await smallDownloadSeconds(plainIP), limited: await smallDownloadSeconds(limitedIP) };
    const plain = await stream(plainIP);
    const limited = await stream(limitedIP);
    const mbit = (bits: number) => `${(bits / 1e6).toFixed(2)} Mbit/s`;
    console.log(`# ${smallBytes} bytes: plain ${small.plain.toFixed(3)} s, limited ${small.limited.toFixed(3)} s (inside the burst)`);
    console.log(`# plain: ${plain.bytes} bytes in ${plain.seconds.toFixed(2)} s (${mbit((plain.bytes * 8) / plain.seconds)})`);
    console.log(`# limited: ${limited.bytes} bytes in ${limited.seconds.toFixed(2)} s, last ${tailSeconds} s at ${mbit(limited.tailBitsPerSecond)}`);
    assert.equal(plain.bytes, bigBytes, 'the plain pod sends the whole file unshaped');
    const plainBitsPerSecond = (plain.bytes * 8) / plain.seconds;
    assert.ok(plainBitsPerSecond >= 4 * limited.tailBitsPerSecond, `plain ${mbit(plainBitsPerSecond)} vs limited ${mbit(limited.tailBitsPerSecond)}`);
    assert.ok(limited.tailBitsPerSecond <= 1.5 * limitBitsPerSecond, `${mbit(limited.tailBitsPerSecond)} through a ${egressLimit} limit`);
    assert.ok(limited.tailBitsPerSecond >= 0.5 * limitBitsPerSecond, `${mbit(limited.tailBitsPerSecond)}: shaped, not stalled`);
    await deletePod(server, 'web-limited');
    await deletePod(server, 'web-plain');
  });

  test('an egress-bandwidth below 1k fails the sandbox: ContainerCreating with FailedCreatePodSandBox', { timeout }, async () => {
    await createPod(server, podWith('too-slow', { containers: [busybox('c', { command: untilTerm('true;') })] }, { 'kubernetes.io/egress-bandwidth': '1' }));
    const lines = await eventsInclude(server, 'too-slow', [/^Warning FailedCreatePodSandBox: Failed to create pod sandbox: .*resource is unreasonably small \(< 1kbit\)/]);
    console.log(`# ${lines.find((line) => line.includes('FailedCreatePodSandBox'))}`);
    // Events and status are written apart (as the kubelet's are): the row is polled.
    const row = await statusBecomes(server, 'too-slow', 'ContainerCreating');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['0/1', 'ContainerCreating', '0']);
    const status = (await getPod(server, 'too-slow')).status;
    assert.equal(status?.phase, 'Pending');
    assert.equal(status?.podIP, undefined);
    assert.deepEqual(status?.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    await deletePod(server, 'too-slow');
  });
});
