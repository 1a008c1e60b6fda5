// A real `bin/peapod server` child process on a free port and a private temp dir, for
// end-to-end tests. Ready when it prints its URL and kubeconfig lines; stop() removes everything.
//
//   startServer() ─ mkdtemp ROOT ─┬─ ROOT/data           --data-dir (store, PKI, kubeconfig)
//                                 └─ ROOT/kubectl-cache  kubectl --cache-dir (discovery)
//   [etcd] startEtcd() ─▶ --datastore etcd://127.0.0.1:P
//   spawn bin/peapod server ... ─▶ "serving on URL" + "admin kubeconfig at PATH" ─▶ TestServer
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = resolve(import.meta.dirname, '../..');
const peapod = join(repoRoot, 'bin/peapod');
const readyDeadlineMs = 20_000;
const stopDeadlineMs = 10_000;

export type Datastore = 'sqlite' | 'etcd';

export interface TestServer {
  /** https://127.0.0.1:PORT, as the server printed it. */
  readonly url: string;
  readonly port: number;
  /** The admin kubeconfig the server wrote. */
  readonly kubeconfig: string;
  readonly dataDir: string;
  /** A kubectl discovery/HTTP cache private to this server. */
  readonly cacheDir: string;
  readonly datastore: Datastore;
  /** PID of the running server process (undefined while it is down). */
  readonly pid: number | undefined;
  /** Stops the server (SIGTERM, or SIGKILL) if running, then starts it again on the same data dir and port. */
  restart(options?: { signal?: 'SIGTERM' | 'SIGKILL' }): Promise<void>;
  /** Kills the server with SIGKILL and waits for it to be gone; restart() brings it back. */
  kill9(): Promise<void>;
  /** Kills the server and its etcd, removes every temp dir. */
  stop(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
}

interface Ready {
  url: string;
  kubeconfig: string;
}

// Children still alive when the test process exits (a crashed test) are killed with it.
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerOptions {
  datastore?: Datastore;
  /** Run the embedded node agent (real runc pods), pulling through the run's test registry. */
  agent?: boolean;
  /** Extra flags for `peapod server`. */
  args?: string[];
}

export async function startServer(options: ServerOptions = {}): Promise<TestServer> {
  const datastore = options.datastore ?? 'sqlite';
  const root = await mkdtemp(join(tmpdir(), 'peapod-e2e-'));
  const dataDir = join(root, 'data');
  const cacheDir = join(root, 'kubectl-cache');
  await mkdir(dataDir);
  await mkdir(cacheDir);
  const etcd = datastore === 'etcd' ? await startEtcdFor() : undefined;
  const node = options.agent ? await prepareNode(root) : undefined;
  const baseArgs = ['server', '--data-dir', dataDir, '--bind-address', '127.0.0.1', ...node?.args ?? ['--no-agent'], ...options.args ?? []];
  if (etcd) baseArgs.push('--datastore', `etcd://${etcd.endpoints.map(hostPort).join(',')}`);

  let running: Running | undefined;
  let ready: Ready;
  let port = 0;
  try {
    ({ running, ready } = await launch([...baseArgs, '--port', '0']));
    port = Number(new URL(ready.url).port);
  } catch (err) {
    await etcd?.stop();
    await node?.release(dataDir);
    await rm(root, { recursive: true, force: true });
    throw err;
  }

  const halt = async (signal: 'SIGTERM' | 'SIGKILL') => {
    if (!running) return;
    const { child, exited } = running;
    running = undefined;
    child.kill(signal);
    await withDeadline(exited, stopDeadlineMs, `peapod server (pid ${child.pid}) did not exit after ${signal}`).catch(
      async (err: unknown) => {
        child.kill('SIGKILL');
        await exited;
        throw err;
      },
    );
  };

  return {
    get url() {
      return ready.url;
    },
    port,
    get kubeconfig() {
      return ready.kubeconfig;
    },
    dataDir,
    cacheDir,
    datastore,
    get pid() {
      return running?.child.pid;
    },
    async restart({ signal = 'SIGTERM' } = {}) {
      await halt(signal);
      ({ running, ready } = await launch([...baseArgs, '--port', String(port)]));
    },
    kill9: () => halt('SIGKILL'),
    async stop() {
      try {
        await halt('SIGTERM');
      } finally {
        await etcd?.stop();
        await node?.release(dataDir);
        await rm(root, { recursive: true, force: true });
      }
    },
  };
}

/** Spawns the server and resolves once both ready lines are out; rejects with its stderr otherwise. */
async function launch(args: string[]): Promise<{ running: Running; ready: Ready }> {
  const child = spawn(peapod, args, { cwd: repoRoot, detached: false, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => live.delete(child));
  let stderr = '';
  // PEAPOD_TEST_SERVER_LOG=FILE keeps every test server's whole stderr, for a crash's story.
  const keep = process.env.PEAPOD_TEST_SERVER_LOG;
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-20_000);
    if (keep) appendFileSync(keep, chunk.replace(/^/gm, `[${child.pid}] `));
  });
  const lines = createInterface({ input: child.stdout! });
  const found: Partial<Ready> = {};
  const ready = new Promise<Ready>((resolveReady, reject) => {
    lines.on('line', (line) => {
      const serving = /^peapod server: serving on (\S+)$/.exec(line);
      if (serving) found.url = serving[1];
      const kubeconfig = /^peapod server: admin kubeconfig at (\S+)$/.exec(line);
      if (kubeconfig) found.kubeconfig = kubeconfig[1];
      if (found.url && found.kubeconfig) resolveReady({ url: found.url, kubeconfig: found.kubeconfig });
    });
    child.once('error', (err) => reject(new Error(`cannot run ${peapod}: ${err.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`peapod server exited (${signal ?? `code ${code}`}) before it was ready; stderr:\n${stderr}`)),
    );
  });
  try {
    const result = await withDeadline(ready, readyDeadlineMs, `peapod server ${args.join(' ')} not ready`);
    return { running: { child, exited }, ready: result };
  } catch (err) {
    child.kill('SIGKILL');
    await exited;
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(message.includes('stderr:') ? message : `${message}; stderr:\n${stderr}`);
  }
}

/** Agent flags for this machine's test node, and the teardown of what the agent leaves. */
async function prepareNode(root: string): Promise<{ args: string[]; release(dataDir: string): Promise<void> }> {
  const [{ allocateNodeSlot, cleanupNode }, { testRegistry, writeMirrorConfig }] = await Promise.all([import('./node.ts'), import('./images.ts')]);
  const slot = await allocateNodeSlot();
  const registry = await testRegistry();
  const registries = await writeMirrorConfig(root, registry.host);
  return {
    args: [
      '--node-name', 'node1', '--node-ip', '127.0.0.1', '--kubelet-port', '0', '--cluster-cidr', slot.clusterCidr,
      '--cni-bridge', slot.bridge, '--cgroup-parent', slot.cgroupParent, '--registries', registries, '--disable-default-registry-endpoint',
    ],
    release: async (dataDir) => {
      await cleanupNode(join(dataDir, 'agent'), slot);
      await slot.release();
      await registry.release();
    },
  };
}

async function startEtcdFor(): Promise<{ endpoints: string[]; stop(): Promise<void> }> {
  // Loaded on demand so that SQLite-only test files do not depend on the etcd helper.
  const { startEtcd } = await import('./etcd.ts');
  return startEtcd();
}

function hostPort(endpoint: string): string {
  return endpoint.replace(/^[a-z]+:\/\//, '').replace(/\/$/, '');
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
