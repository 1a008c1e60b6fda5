// A throwaway single-member etcd (Debian's /usr/bin/etcd) on free 127.0.0.1 ports with its data
// in a temp dir. Ready when /health says so; stop() kills it by PID and removes the dir.
//
//   startEtcd() ─ free ports (listen :0) ─ mkdtemp ─ spawn etcd ─ poll /health ─▶ { endpoints, stop }
//                 (a port taken between probe and bind: etcd exits, start over with new ports)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export interface TestEtcd {
  /** Client URLs, e.g. http://127.0.0.1:40123 */
  endpoints: string[];
  stop(): Promise<void>;
}

const etcdBinary = process.env.PEAPOD_ETCD ?? '/usr/bin/etcd';
const readyDeadlineMs = 15_000;
const attempts = 3;

// Members still alive when the test process exits (a crashed test) die with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export async function startEtcd(): Promise<TestEtcd> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'peapod-etcd-'));
    try {
      return await launch(dir);
    } catch (err) {
      lastError = err;
      await rm(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`etcd did not start after ${attempts} attempts`, { cause: lastError });
}

async function launch(dir: string): Promise<TestEtcd> {
  const [clientPort, peerPort] = await freePorts(2);
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    etcdBinary,
    [
      '--name', 'peapod-test',
      '--data-dir', join(dir, 'data'),
      '--listen-client-urls', client,
      '--advertise-client-urls', client,
      '--listen-peer-urls', peer,
      '--initial-advertise-peer-urls', peer,
      '--initial-cluster', `peapod-test=${peer}`,
      '--initial-cluster-state', 'new',
      // One member elects itself after one election timeout: keep it short for fast starts.
      '--heartbeat-interval', '10',
      '--election-timeout', '100',
      '--logger', 'zap',
      '--log-outputs', 'stderr',
      '--log-level', 'error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  live.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => {
    gone = true;
    live.delete(child);
  });
  const stop = async () => {
    if (!gone) {
      child.kill('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), delay(5_000, undefined, { ref: false }).then(() => false)]);
      if (!killed) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(client, () => gone, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoints: [client], stop };
}

async function waitHealthy(client: string, exited: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + readyDeadlineMs;
  for (;;) {
    if (exited()) throw new Error(`etcd on ${client} exited before it was healthy: ${stderr()}`);
    if (await healthy(client)) return;
    if (Date.now() >= deadline) throw new Error(`etcd on ${client} not healthy within ${readyDeadlineMs} ms: ${stderr()}`);
    await delay(25);
  }
}

/** GET /health on a fresh connection (a kept-alive one would hold the test process open). */
function healthy(client: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${client}/health`, { agent: false, timeout: 1_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body.includes('"health":"true"')));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Ports the kernel hands out for port 0, all held open together so that they differ. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () =>
      new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve(server));
      }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('listening on port 0 gave no port');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  return ports;
}
