// The prober: a worker's thresholds and holds on a fake clock, and each kind of probe against
// real servers on 127.0.0.1 (HTTP, TCP, gRPC health over h2c) or the fake runtime's exec; the
// lifecycle hook runner's httpGet and sleep.
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Container, Pod, PodStatus, Probe } from 'kubernetes-types/core/v1.d.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { HookRunner } from '../../src/agent/lifecycle/handlers.ts';
import { ensureServingCertificate } from '../../src/agent/server/serving_cert.ts';
import { execProbe } from '../../src/agent/prober/exec.ts';
import { grpcProbe } from '../../src/agent/prober/grpc.ts';
import { httpGetTarget } from '../../src/agent/prober/http_get.ts';
import { httpProbe } from '../../src/agent/prober/http.ts';
import { ContainerProber } from '../../src/agent/prober/prober.ts';
import { ResultsManager, type ProbeResult } from '../../src/agent/prober/results.ts';
import { tcpProbe } from '../../src/agent/prober/tcp.ts';
import { ProbeWorker } from '../../src/agent/prober/worker.ts';
import { FakeRuntime } from '../../src/agent/runtime/fake.ts';

const start = Date.parse('2026-11-23T10:00:00Z');

describe('probe worker', () => {
  function setup(kind: 'liveness' | 'readiness' | 'startup', spec: Probe, answers: (ProbeResult | Promise<ProbeResult | undefined>)[]) {
    const clock = new FakeClock();
    const changes: string[] = [];
    const results = new ResultsManager((uid) => changes.push(uid));
    const probed: string[] = [];
    const prober = { probe: async (_k: string, _s: Probe, target: { containerId: string }) => { probed.push(target.containerId); return answers.shift(); } };
    const container: Container = { name: 'app' };
    const pod: Pod = { metadata: { uid: 'u1', name: 'p' }, spec: { containers: [container] } };
    const worker = new ProbeWorker({ prober, results, clock, now: () => new Date(start + clock.now()) }, kind, pod, container, spec);
    const status = (id: string, started: boolean): PodStatus => ({
      phase: 'Running', podIP: '10.0.0.1',
      containerStatuses: [{ name: 'app', image: '', imageID: '', restartCount: 0, ready: false, started, containerID: `runc://${id}`, state: { running: { startedAt: new Date(start).toISOString() } } }],
    });
    /** Steps one period and lets the probe's promise settle. */
    const period = async () => { clock.step((spec.periodSeconds ?? 10) * 1000); await new Promise((r) => setImmediate(r)); };
    return { clock, results, changes, probed, worker, pod, status, period };
  }

  test('liveness: Success until failureThreshold failures in a row, then Failure and a hold until a new container', async () => {
    const s = setup('liveness', { periodSeconds: 1, failureThreshold: 2 }, ['Failure', 'Success', 'Failure', 'Failure', 'Failure']);
    s.worker.update(s.pod, s.status('c1', true));
    s.worker.start();
    for (let i = 0; i < 3; i++) await s.period();
    assert.equal(s.results.get('liveness', 'c1'), 'Success', 'F S F: never two in a row');
    await s.period();
    assert.equal(s.results.get('liveness', 'c1'), 'Failure');
    await s.period();
    assert.equal(s.probed.length, 4, 'on hold: no probe of a container about to be killed');
    s.worker.update(s.pod, s.status('c2', true));
    await s.period();
    assert.deepEqual(s.probed.at(-1), 'c2');
    assert.equal(s.results.get('liveness', 'c1'), undefined, 'the old container\'s result is dropped');
    assert.ok(s.changes.length >= 2 && s.changes.every((u) => u === 'u1'));
    await s.worker.stop();
  });

  test('readiness: Failure at first, Success after successThreshold, waits for initialDelaySeconds and for started', async () => {
    const s = setup('readiness', { periodSeconds: 2, initialDelaySeconds: 5, successThreshold: 2 }, ['Success', 'Success']);
    s.worker.update(s.pod, s.status('c1', false));
    s.worker.start();
    await s.period();
    assert.equal(s.results.get('readiness', 'c1'), 'Failure');
    assert.equal(s.probed.length, 0, 'not started yet');
    s.worker.update(s.pod, s.status('c1', true));
    await s.period();
    assert.equal(s.probed.length, 0, 'within initialDelaySeconds (4 s of 5)');
    await s.period();
    await s.period();
    assert.equal(s.results.get('readiness', 'c1'), 'Success');
    assert.equal(s.probed.length, 2);
    await s.worker.stop();
  });

  test('a probe that never settles is dropped after its timeout and 10 s; probing goes on', async () => {
    const s = setup('readiness', { periodSeconds: 1, timeoutSeconds: 1 }, [new Promise(() => undefined), 'Success']);
    s.worker.update(s.pod, s.status('c1', true));
    s.worker.start();
    await s.period();
    assert.equal(s.probed.length, 1);
    s.clock.step(11_000);
    await new Promise((r) => setImmediate(r));
    await s.period();
    assert.equal(s.probed.length, 2, 'the next period probes again');
    assert.equal(s.results.get('readiness', 'c1'), 'Success');
    await s.worker.stop();
  });

  test('startup: unknown, then Success, and no more probing once started', async () => {
    const s = setup('startup', { periodSeconds: 1 }, ['Success']);
    s.worker.update(s.pod, s.status('c1', false));
    s.worker.start();
    await s.period();
    assert.equal(s.results.get('startup', 'c1'), 'Success');
    s.worker.update(s.pod, s.status('c1', true));
    await s.period();
    assert.equal(s.probed.length, 1);
    await s.worker.stop();
  });
});

describe('probes', () => {
  let http: Server;
  let h2: Http2Server;
  let grpcStatus = 1;
  let port = 0;
  let h2Port = 0;
  const seen: Record<string, string | string[] | undefined>[] = [];
  before(async () => {
    http = createHttpServer((req, res) => {
      seen.push(req.headers);
      if (req.url === '/redirect') { res.writeHead(302, { location: 'http://elsewhere.invalid/' }).end('moved'); return; }
      if (req.url === '/local') { res.writeHead(301, { location: '/healthz' }).end(); return; }
      res.writeHead(req.url?.startsWith('/healthz') ? 200 : 500).end('body');
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    port = (http.address() as AddressInfo).port;
    h2 = createH2Server();
    h2.on('stream', (stream) => {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 2, 0x08, grpcStatus]));
      });
    });
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
    h2Port = (h2.address() as AddressInfo).port;
  });
  after(() => { http.close(); h2.close(); });

  const container: Container = { name: 'app', ports: [{ name: 'web', containerPort: 0 }] };

  test('httpGet: 2xx succeeds; 500 fails with its status code; headers, named port, query', async () => {
    const named = { ...container, ports: [{ name: 'web', containerPort: port }] };
    const ok = await httpProbe(httpGetTarget({ path: '/healthz?x=1', port: 'web', httpHeaders: [{ name: 'x-custom', value: 'v' }] }, named, '127.0.0.1', 'probe'), 1000);
    assert.deepEqual(ok, { result: 'Success', output: 'body' });
    assert.equal(seen.at(-1)?.['x-custom'], 'v');
    assert.equal(seen.at(-1)?.['user-agent'], 'kube-probe/1.32');
    assert.equal(seen.at(-1)?.accept, '*/*');
    const failed = await httpProbe(httpGetTarget({ path: '/broken', port }, container, '127.0.0.1', 'probe'), 1000);
    assert.deepEqual(failed, { result: 'Failure', output: 'HTTP probe failed with statuscode: 500' });
  });

  test('httpGet with scheme HTTPS: the certificate is not verified (a self-signed one passes)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'probe-https-'));
    const { cert, key } = await ensureServingCertificate(dir, ['127.0.0.1']);
    const https = createHttpsServer({ cert, key }, (req, res) => res.writeHead(req.url === '/healthz' ? 200 : 503).end('tls'));
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const tlsPort = (https.address() as AddressInfo).port;
    try {
      assert.deepEqual(await httpProbe(httpGetTarget({ scheme: 'HTTPS', path: '/healthz', port: tlsPort }, container, '127.0.0.1', 'probe'), 2000), { result: 'Success', output: 'tls' });
      assert.deepEqual(await httpProbe(httpGetTarget({ scheme: 'HTTPS', path: '/down', port: tlsPort }, container, '127.0.0.1', 'probe'), 2000), { result: 'Failure', output: 'HTTP probe failed with statuscode: 503' });
    } finally {
      https.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('httpGet: a redirect to the same host is followed, one elsewhere is a warning', async () => {
    assert.equal((await httpProbe(httpGetTarget({ path: '/local', port }, container, '127.0.0.1', 'probe'), 1000)).result, 'Success');
    assert.deepEqual(await httpProbe(httpGetTarget({ path: '/redirect', port }, container, '127.0.0.1', 'probe'), 1000), { result: 'Warning', output: 'Probe terminated redirects, Response body: moved' });
  });

  test('httpGet and tcpSocket to a closed port fail with Go\'s dial error', async () => {
    const closed = await freePort();
    assert.deepEqual(await httpProbe(httpGetTarget({ path: '/healthz', port: closed }, container, '127.0.0.1', 'probe'), 1000),
      { result: 'Failure', output: `Get "http://127.0.0.1:${closed}/healthz": dial tcp 127.0.0.1:${closed}: connect: connection refused` });
    assert.deepEqual(await tcpProbe('127.0.0.1', closed, 1000), { result: 'Failure', output: `dial tcp 127.0.0.1:${closed}: connect: connection refused` });
    assert.equal((await tcpProbe('127.0.0.1', port, 1000)).result, 'Success');
  });

  test('grpc: SERVING succeeds, NOT_SERVING fails with the kubelet\'s words, nothing listening times out', async () => {
    grpcStatus = 1;
    assert.deepEqual(await grpcProbe('127.0.0.1', h2Port, '', 1000), { result: 'Success', output: 'service healthy' });
    grpcStatus = 2;
    assert.deepEqual(await grpcProbe('127.0.0.1', h2Port, 'a-service-name-longer-than-127-bytes-'.repeat(5), 1000), { result: 'Failure', output: 'service unhealthy (responded with "NOT_SERVING")' });
    const closed = await freePort();
    assert.deepEqual(await grpcProbe('127.0.0.1', closed, '', 300), { result: 'Failure', output: `timeout: failed to connect service "127.0.0.1:${closed}" within 300ms: context deadline exceeded` });
  });

  test('exec: exit 0 succeeds, another code fails with the output, a command that cannot start fails with runc\'s words', async () => {
    const runtime = new FakeRuntime({ exec: (_c, cmd) => (cmd[0] === 'ok' ? { stdout: 'fine' } : cmd[0] === 'bad' ? { stdout: 'not ', stderr: 'healthy\n', exitCode: 1 } : cmd[0] === 'slow' ? { hangs: true } : undefined) });
    const sandbox = await runtime.runSandbox({ metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 }, logDirectory: '/tmp' });
    const id = await runtime.createContainer(sandbox, { metadata: { name: 'c', attempt: 0 }, rootfsPath: '/', command: ['x'], logPath: 'c/0.log' });
    await runtime.startContainer(id);
    assert.deepEqual(await execProbe(runtime, id, ['ok'], 1000), { result: 'Success', output: 'fine' });
    const prober = new ContainerProber(runtime, { event: async () => undefined });
    const withEnv = { name: 'c', env: [{ name: 'WORD', value: 'ok' }, { name: 'FROM', valueFrom: { fieldRef: { fieldPath: 'x' } } }] };
    assert.equal(await prober.probe('liveness', { exec: { command: ['$(WORD)'] } }, { pod: {}, container: withEnv, containerId: id, podIP: '' }), 'Success', '$(WORD) from the env');
    assert.deepEqual(await execProbe(runtime, id, ['bad'], 1000), { result: 'Failure', output: 'not healthy\n' });
    assert.deepEqual(await execProbe(runtime, id, ['slow', 'x'], 10), { result: 'Failure', output: 'command "slow x" timed out' });
    assert.deepEqual(await execProbe(runtime, id, ['nope'], 1000), { result: 'Failure', output: 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown' });
  });

  test('the prober records the kubelet\'s events; an unknown port name is "errored" and no result', async () => {
    const events: string[] = [];
    const prober = new ContainerProber(new FakeRuntime(), { event: async (_p, type, reason, message) => { events.push(`${type} ${reason}: ${message}`); } });
    const target = { pod: { metadata: { name: 'p' } }, container, containerId: 'x', podIP: '127.0.0.1' };
    assert.equal(await prober.probe('liveness', { httpGet: { path: '/broken', port } }, target), 'Failure');
    assert.equal(await prober.probe('readiness', { httpGet: { path: '/redirect', port } }, target), 'Success');
    assert.equal(await prober.probe('startup', { tcpSocket: { port: 'nope' } }, target), undefined);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(events, [
      'Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      'Warning ProbeWarning: Readiness probe warning: Probe terminated redirects, Response body: moved',
      'Warning Unhealthy: Startup probe errored and resulted in unknown state: strconv.Atoi: parsing "nope": invalid syntax',
    ]);
  });
});

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('lifecycle hook runner', () => {
  test('httpGet: any response is success; no response is the kubelet\'s message; sleep waits', async () => {
    const server = createHttpServer((_req, res) => res.writeHead(500).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const runner = new HookRunner(new FakeRuntime());
    const target = { pod: { metadata: { name: 'p', namespace: 'ns', uid: 'u' } }, container: { name: 'c' }, containerId: 'x', podIP: '127.0.0.1' };
    try {
      assert.equal(await runner.run({ httpGet: { path: '/stop', port } }, target), undefined, 'a 500 is a response');
      const closed = await freePort();
      assert.equal(await runner.run({ httpGet: { path: '/stop', port: closed } }, target),
        `HTTP lifecycle hook (/stop) for Container "c" in Pod "p_ns(u)" failed - error: Get "http://127.0.0.1:${closed}/stop": dial tcp 127.0.0.1:${closed}: connect: connection refused`);
      assert.equal(await runner.run({ httpGet: { path: '/stop', port: 'missing' } }, target),
        'HTTP lifecycle hook (/stop) for Container "c" in Pod "p_ns(u)" failed - error: strconv.Atoi: parsing "missing": invalid syntax');
      const started = Date.now();
      assert.equal(await runner.run({ sleep: { seconds: 1 } }, target), undefined);
      assert.ok(Date.now() - started >= 990);
    } finally {
      server.close();
    }
  });
});
