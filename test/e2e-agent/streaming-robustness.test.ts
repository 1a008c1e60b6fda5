// Clients that vanish in the middle of a session, huge outputs and many sessions at once: the
// server must answer on as before (same process), and the agent must leave nothing running for
// a session that is gone — no runc exec, script, attach or connection relay, no process that
// was started in the container.
//
//   kubectl SIGKILLed mid-exec (plain and -it), mid-attach, mid-port-forward download;
//   a TCP reset from a raw client mid-output (WebSocket) and right after a SPDY upgrade;
//   50 MB of output; 30 execs at once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { connect as netConnect } from 'node:net';
import { connect } from 'node:tls';
import { loadKubeconfig, type ClientConfig } from '../../src/client/config.ts';
import { kubectl, kubectlSpawn, type KubectlProcess, type KubectlVersion } from '../support/kubectl.ts';
import { kubectlInPty } from '../support/pty.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';
import { streamingProcesses, type StreamingProcess } from './processes.ts';
import { untilTerm } from './support.ts';

const versions: KubectlVersion[] = ['1.27', '1.32'];
const timeout = 120_000;

describe('streaming sessions whose client vanishes, huge and many', () => {
  let server: TestServer;
  let serverPid: number | undefined;

  before(async () => {
    server = await startServer({ agent: true });
    serverPid = server.pid;
    await Promise.all([
      createPod(server, podWith('box', { terminationGracePeriodSeconds: 0, containers: [busybox('main', { command: untilTerm() })] })),
      createPod(server, podWith('echo', { terminationGracePeriodSeconds: 0, containers: [busybox('echo', {
        command: ['sh', '-c', 'while read l; do echo "got $l"; done'], stdin: true,
      })] })),
      createPod(server, podWith('web', { terminationGracePeriodSeconds: 0, containers: [busybox('web', {
        command: untilTerm('mkdir -p /www; echo hello > /www/index.html; head -c 200000000 /dev/zero > /www/big; httpd -p 8080 -h /www;'),
      })] })),
    ]);
    await Promise.all(['box', 'echo', 'web'].map((name) => statusBecomes(server, name, 'Running', 60_000)));
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=0'], { timeoutMs: 60_000 });
    await server.stop();
  });

  /** A pod's port relay waits for the pod's next connection (a minute); what served a connection does not. */
  const podRelay = (p: StreamingProcess) => p.args.includes('port_relay.pl') && !p.parentIsRelay;

  /** Nothing of a finished session is left, and the same server process answers. */
  async function settled(allowed: (p: StreamingProcess) => boolean = podRelay): Promise<void> {
    await eventually('no streaming process left', async () => {
      const left = (await streamingProcesses(server.dataDir)).filter((p) => !allowed(p));
      if (left.length > 0) throw new Error(left.map((p) => `${p.pid} ${p.args}`).join('\n'));
      return true;
    }, 20_000, 200);
    assert.equal(server.pid, serverPid, 'the server process did not change');
    assert.equal((await kubectl(server, ['get', '--raw', '/readyz'])).stdout, 'ok');
  }

  /** While a session runs: the helper process it needs is there (so that its absence later means something). */
  async function running(what: RegExp): Promise<void> {
    await eventually(`a process ${what}`, async () => ((await streamingProcesses(server.dataDir)).some((p) => what.test(p.args)) ? true : undefined), 10_000, 100);
  }

  /** The container's processes (busybox ps inside it). */
  async function containerProcesses(pod: string): Promise<string> {
    return (await kubectl(server, ['exec', pod, '--', 'ps', '-o', 'args'])).stdout;
  }

  for (const version of versions) {
    const target = () => ({ ...server, cacheDir: `${server.cacheDir}-${version}` });

    test(`kubectl ${version} killed mid-exec: the command and its runc exec go`, { timeout }, async () => {
      const exec = kubectlSpawn(target(), ['exec', 'box', '--', 'sh', '-c', 'echo started; exec sleep 301'], { version });
      await exec.stdoutLines.take('started', undefined, 30_000);
      assert.match(await containerProcesses('box'), /sleep 301/);
      await running(/runc .* exec .*sleep 301/);
      await killed(exec);
      await settled();
      assert.doesNotMatch(await containerProcesses('box'), /sleep 301/);
    });

    test(`kubectl ${version} exec -it killed: the terminal's script and runc exec go`, { timeout }, async () => {
      const term = kubectlInPty(target(), ['exec', '-it', 'box', '--', 'sh', '-c', 'echo in-terminal; exec sleep 302'], { version, size: { rows: 24, cols: 80 } });
      await term.shows(/in-terminal/, undefined, 30_000);
      await running(/^script .*sleep 302/);
      await term.kill();
      await settled();
      assert.doesNotMatch(await containerProcesses('box'), /sleep 302/);
    });

    test(`kubectl ${version} killed mid-attach: the attach relay goes, the container runs on`, { timeout }, async () => {
      const attach = kubectlSpawn(target(), ['attach', '-i', 'echo'], { version, openStdin: true });
      attach.stdin.write(`before ${version}\n`);
      await attach.stdoutLines.take('the echo', (l) => l === `got before ${version}`, 30_000);
      await running(/^perl -e .* attach 1$/s);
      await killed(attach);
      await settled();
      const again = kubectlSpawn(target(), ['attach', '-i', 'echo'], { version, openStdin: true });
      try {
        again.stdin.write(`after ${version}\n`);
        await again.stdoutLines.take('the echo again', (l) => l === `got after ${version}`, 30_000);
      } finally {
        await again.kill();
      }
    });

    test(`kubectl ${version} killed mid-port-forward download: the connection's relay goes`, { timeout }, async () => {
      const forward = kubectlSpawn(target(), ['port-forward', 'pod/web', ':8080'], { version });
      const line = await forward.stdoutLines.take('forwarding', (l) => l.startsWith('Forwarding from 127.0.0.1:'), 30_000);
      const port = Number(/127\.0\.0\.1:(\d+)/.exec(line)?.[1]);
      const download = partialDownload(port, '/big', 4 * 1024 * 1024);
      await download.received;
      assert.ok((await streamingProcesses(server.dataDir)).some((p) => p.parentIsRelay), 'a relay child serves the download');
      await killed(forward);
      assert.ok((await download.ended) < 200_000_000, 'the download was cut');
      await settled();
      const again = kubectlSpawn(target(), ['port-forward', 'pod/web', ':8080'], { version });
      try {
        const next = await again.stdoutLines.take('forwarding', (l) => l.startsWith('Forwarding from 127.0.0.1:'), 30_000);
        assert.equal(await httpText(Number(/127\.0\.0\.1:(\d+)/.exec(next)?.[1]), '/index.html'), 'hello\n');
      } finally {
        await again.kill();
      }
    });

    test(`kubectl ${version}: 50 MB of output arrive whole`, { timeout }, async () => {
      const expected = Array.from({ length: 6_000_000 }, (_, i) => `${i + 1}\n`).join('');
      const result = await kubectl(target(), ['exec', 'box', '--', 'seq', '1', '6000000'], { version, timeoutMs: 90_000 });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(result.stdout === expected, `${result.stdout.length} bytes of ${expected.length}`);
    });
  }

  test('a TCP reset mid-output (WebSocket) and right after a SPDY upgrade', { timeout }, async () => {
    const config = await loadKubeconfig(server.kubeconfig);
    const url = new URL(config.server);
    const path = '/api/v1/namespaces/default/pods/box/exec?container=main&command=seq&command=1&command=999999999&stdout=true';
    const ws = await rawUpgrade(url, config, 'GET', path, ['Connection: Upgrade', 'Upgrade: websocket', 'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol: v5.channel.k8s.io'], 1024 * 1024);
    assert.match(ws, /^HTTP\/1\.1 101 /);
    await settled();
    assert.doesNotMatch(await containerProcesses('box'), /seq 1 999999999/);
    const spdy = await rawUpgrade(url, config, 'POST', path, ['Connection: Upgrade', 'Upgrade: SPDY/3.1', 'X-Stream-Protocol-Version: v4.channel.k8s.io', 'Content-Length: 0'], 1);
    assert.match(spdy, /^HTTP\/1\.1 101 /);
    await settled();
  });

  test('30 execs at once, each with its own output', { timeout }, async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) =>
      kubectl(server, ['exec', 'box', '--', 'sh', '-c', `echo session ${i}; echo err ${i} >&2; exit ${i % 4}`], { timeoutMs: 90_000 })));
    results.forEach((r, i) => {
      assert.equal(r.stdout, `session ${i}\n`);
      assert.equal(r.code, i % 4);
      assert.equal(r.stderr, i % 4 === 0 ? `err ${i}\n` : `err ${i}\ncommand terminated with exit code ${i % 4}\n`);
    });
    await settled();
  });

  test('the pod\'s port relay ends with the pod', { timeout }, async () => {
    assert.equal((await streamingProcesses(server.dataDir)).filter(podRelay).length, 1);
    await kubectl(server, ['delete', 'pod', 'web', '--grace-period=0'], { timeoutMs: 60_000 });
    await settled(() => false);
  });
});

async function killed(kubectlProcess: KubectlProcess): Promise<void> {
  process.kill(kubectlProcess.pid!, 'SIGKILL');
  await kubectlProcess.exited;
}

/** A GET that reads `atLeast` bytes (received), then keeps reading until the connection ends (ended: bytes read). */
function partialDownload(port: number, path: string, atLeast: number): { received: Promise<void>; ended: Promise<number> } {
  let reached: () => void = () => undefined;
  const received = new Promise<void>((resolve) => { reached = resolve; });
  const ended = new Promise<number>((resolve) => {
    let bytes = 0;
    get({ host: '127.0.0.1', port, path }, (res) => {
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes >= atLeast) reached();
      });
      res.on('error', () => resolve(bytes)).on('close', () => resolve(bytes));
    }).on('error', () => resolve(bytes));
  });
  return { received, ended };
}

function httpText(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve(text));
    }).on('error', reject);
  });
}

/**
 * An upgrade request over TLS with the kubeconfig's client certificate; after `bytes` bytes of
 * answer the connection is reset (RST, not FIN). Resolves with the start of the answer.
 */
function rawUpgrade(url: URL, config: ClientConfig, method: string, path: string, headers: string[], bytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // TLS over a TCP socket of our own: a reset needs the TCP socket itself.
    const tcp = netConnect({ host: url.hostname, port: Number(url.port) });
    const socket = connect({ socket: tcp, ca: config.ca, cert: config.cert, key: config.key, servername: url.hostname }, () => {
      socket.write([`${method} ${path} HTTP/1.1`, `Host: ${url.host}`, ...headers, '', ''].join('\r\n'));
    });
    let received = 0;
    let start = '';
    const onData = (chunk: Buffer): void => {
      if (start.length < 64) start += chunk.subarray(0, 64).toString('latin1');
      received += chunk.length;
      if (received < bytes) return;
      socket.off('data', onData);
      tcp.resetAndDestroy();
      resolve(start);
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
    tcp.on('error', () => undefined);
    socket.once('close', () => reject(new Error(`closed after ${received} bytes: ${start}`)));
  });
}
