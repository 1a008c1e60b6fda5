// `kubectl port-forward` to a real pod with kubectl 1.27 (SPDY/3.1), 1.32 and 1.33 (SPDY inside
// WebSocket): two ports at once, many concurrent connections, and a closed remote port.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { kubectl, kubectlSpawn, type KubectlVersion } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';
import { untilTerm } from './support.ts';

const versions: KubectlVersion[] = ['1.27', '1.32', '1.33'];
const timeout = 60_000;

/** httpd serving /www on 8080 and, with another body, on 9090. */
const serve = 'mkdir -p /www /www2; echo hello from 8080 > /www/index.html; seq 1 20000 > /www/big.txt; echo hello from 9090 > /www2/index.html; httpd -p 8080 -h /www; httpd -p 9090 -h /www2;';

describe('kubectl port-forward to a real pod', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
    await createPod(server, podWith('web', { terminationGracePeriodSeconds: 1, containers: [busybox('web', { command: untilTerm(serve) })] }));
    await statusBecomes(server, 'web', 'Running');
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
  });

  for (const version of versions) {
    const target = () => ({ ...server, cacheDir: `${server.cacheDir}-${version}` });

    test(`kubectl ${version}: two ports, 20 concurrent requests, bytes unchanged`, { timeout }, async () => {
      const [a, b] = await freePorts(2);
      const forward = kubectlSpawn(target(), ['port-forward', 'pod/web', `${a}:8080`, `${b}:9090`], { version });
      try {
        await forward.stdoutLines.take('the second port forwarding', (line) => line === `Forwarding from 127.0.0.1:${b} -> 9090`, 20_000);
        assert.equal(await httpGet(a, '/'), 'hello from 8080\n');
        assert.equal(await httpGet(b, '/'), 'hello from 9090\n');
        const big = Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join('');
        const bodies = await Promise.all(Array.from({ length: 20 }, () => httpGet(a, '/big.txt')));
        for (const body of bodies) assert.equal(body, big);
      } finally {
        await forward.kill();
      }
    });

    test(`kubectl ${version}: a closed remote port reports the error`, { timeout }, async () => {
      const [a] = await freePorts(1);
      const forward = kubectlSpawn(target(), ['port-forward', 'pod/web', `${a}:7777`], { version });
      try {
        await forward.stdoutLines.take('forwarding', (line) => line.startsWith(`Forwarding from 127.0.0.1:${a}`), 20_000);
        await httpGet(a, '/').catch(() => undefined);
        const line = await forward.stderrLines.take('the error', (l) => l.includes('an error occurred forwarding'), 20_000);
        assert.match(line, new RegExp(`an error occurred forwarding ${a} -> 7777: error forwarding port 7777 to pod web, uid [0-9a-f-]{36}: failed to connect to localhost:7777 inside namespace \\\\?"/proc/\\d+/ns/net\\\\?", IPv4: dial tcp4 127.0.0.1:7777: connect: connection refused`));
        // kubectl (≥1.27) ends its whole session on any text in an error stream, as against a kubelet.
        const ended = await forward.exited;
        assert.equal(ended.code, 1);
        assert.match(ended.stderr, /error: lost connection to pod\n$/);
      } finally {
        await forward.kill();
      }
    });
  }

  test('a pod that is not running cannot be forwarded to', { timeout }, async () => {
    await createPod(server, podWith('done', { restartPolicy: 'Never', containers: [busybox('c', { command: ['true'] })] }));
    await statusBecomes(server, 'done', 'Completed');
    const result = await kubectl(server, ['port-forward', 'pod/done', '1:80']);
    assert.deepEqual(result, { code: 1, stdout: '', stderr: 'error: unable to forward port because pod is not running. Current status=Succeeded\n' });
  });
});

async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

function httpGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve(body)).on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(20_000, () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
    req.end();
  });
}
