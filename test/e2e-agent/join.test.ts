// `peapod agent` as a process of its own joining a server with the token the server wrote:
// its Node registers Ready with its labels, its Lease renews, pods scheduled to it run and their
// logs come through it; a token whose CA hash does not match makes it refuse the server.
//
//   startServer() (no agent) ─▶ DATA/agent-token ─▶ bin/peapod agent --server URL --token T ...
//     ─▶ "peapod agent: node node2 joined URL" ─▶ kubectl get nodes / lease / pod / logs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { testRegistry, writeMirrorConfig, type RegistryLease } from '../support/images.ts';
import { kubectl } from '../support/kubectl.ts';
import { allocateNodeSlot, cleanupNode, type NodeSlot } from '../support/node.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { parseTable } from '../support/table.ts';
import { eventually } from '../support/wait.ts';
import { createPods, getPod, pod, untilTerm, waitRunning } from './support.ts';

const peapod = resolve(import.meta.dirname, '../../bin/peapod');

interface AgentProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout: () => string;
  stderr: () => string;
}

/** Spawns `peapod agent ARGS`; output is collected for assertions and failure messages. */
function spawnAgent(args: string[]): AgentProcess {
  const child = spawn(peapod, ['agent', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

/** Resolves when the agent says it joined; rejects if it exits first. */
async function joined(agent: AgentProcess, nodeName: string): Promise<void> {
  await new Promise<void>((ready, fail) => {
    createInterface({ input: agent.child.stdout! }).on('line', (line) => line.startsWith(`peapod agent: node ${nodeName} joined`) && ready());
    void agent.exited.then(({ code, signal }) => fail(new Error(`peapod agent exited (${signal ?? code}) before joining:\n${agent.stdout()}${agent.stderr()}`)));
  });
}

describe('peapod agent joining a server', () => {
  let server: TestServer;
  let slot: NodeSlot;
  let registry: RegistryLease;
  let root: string;
  let token: string;
  let agent: AgentProcess | undefined;
  let nodeArgs: string[];

  before(async () => {
    slot = await allocateNodeSlot();
    root = await mkdtemp(join(tmpdir(), 'peapod-join-'));
    registry = await testRegistry();
    server = await startServer({ args: ['--cluster-cidr', slot.clusterCidr] });
    token = (await readFile(join(server.dataDir, 'agent-token'), 'utf8')).trim();
    const registries = await writeMirrorConfig(root, registry.host);
    nodeArgs = [
      '--server', server.url, '--node-ip', '127.0.0.1', '--kubelet-port', '0',
      '--cni-bridge', slot.bridge, '--cgroup-parent', slot.cgroupParent, '--registries', registries, '--disable-default-registry-endpoint',
    ];
    agent = spawnAgent([...nodeArgs, '--token', token, '--data-dir', join(root, 'node2'), '--node-name', 'node2', '--node-label', 'k=v']);
    await withDeadline(joined(agent, 'node2'), 30_000, 'peapod agent joining as node2');
  });

  after(async () => {
    let exit: Awaited<AgentProcess['exited']> | undefined;
    try {
      if (server) await kubectl(server, ['delete', 'pods', '--all', '--wait=true', '--timeout=30s']);
      if (agent) exit = await stopAgent(agent);
    } finally {
      await cleanupNode(join(root, 'node2', 'agent'), slot);
      await slot.release();
      await server?.stop();
      await registry?.release();
      await rm(root, { recursive: true, force: true });
    }
    assert.deepEqual(exit, { code: 0, signal: null }, `peapod agent on SIGTERM:\n${agent?.stderr()}`);
  });

  test('the node registers Ready with its hostname and --node-label labels', async () => {
    const row = await eventually('node2 Ready in kubectl get nodes', async () => {
      const nodes = await kubectl(server, ['get', 'nodes']);
      const found = parseTable(nodes.stdout).find((r) => r.NAME === 'node2');
      return found?.STATUS === 'Ready' ? found : undefined;
    }, 30_000);
    assert.equal(row.ROLES, '<none>');
    assert.match(row.VERSION ?? '', /^v1\.32\.\d+/);

    const got = await kubectl(server, ['get', 'node', 'node2', '-o', 'json']);
    assert.equal(got.code, 0, got.stderr);
    const node = JSON.parse(got.stdout) as Node;
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'node2');
    assert.equal(node.metadata?.labels?.['k'], 'v');
    assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.deepEqual(node.status?.addresses?.find((a) => a.type === 'InternalIP'), { type: 'InternalIP', address: '127.0.0.1' });
    assert.ok(node.spec?.podCIDR?.startsWith(slot.clusterCidr.split('.').slice(0, 2).join('.')), `podCIDR ${node.spec?.podCIDR} from ${slot.clusterCidr}`);

    const labels = await kubectl(server, ['get', 'nodes', '-l', 'k=v', '-o', 'name']);
    assert.equal(labels.stdout, 'node/node2\n');
  });

  test('its Lease in kube-node-lease is held by the node and renewed', async () => {
    const first = await eventually('the node2 Lease', async () => readLease(server), 20_000);
    assert.equal(first.spec?.holderIdentity, 'node2');
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    const owner = first.metadata?.ownerReferences?.[0];
    assert.equal(owner?.kind, 'Node');
    assert.equal(owner?.name, 'node2');
    // The kubelet renews every leaseDuration/4 = 10 s.
    const renewed = await eventually('the node2 Lease renewed', async () => {
      const lease = await readLease(server);
      return lease?.spec?.renewTime !== first.spec?.renewTime ? lease : undefined;
    }, 25_000, 500);
    assert.ok(Date.parse(renewed.spec?.renewTime ?? '') > Date.parse(first.spec?.renewTime ?? ''), 'renewTime moves forward');
    assert.notEqual(renewed.metadata?.resourceVersion, first.metadata?.resourceVersion);
  });

  test('a pod scheduled to the node runs; kubectl logs and exec reach it through the agent', async () => {
    await createPods(server, [pod('hello', [{ name: 'greeter', image: 'busybox', command: untilTerm('echo hello from $(hostname);') }])]);
    await waitRunning(server, ['hello'], 60_000);
    const hello = await getPod(server, 'hello');
    assert.equal(hello.spec?.nodeName, 'node2');
    assert.equal(hello.status?.hostIP, '127.0.0.1');
    assert.ok(hello.status?.podIP?.startsWith(slot.clusterCidr.split('.').slice(0, 2).join('.')), `podIP ${hello.status?.podIP}`);
    const logs = await eventually('the greeting in kubectl logs', async () => {
      const result = await kubectl(server, ['logs', 'hello', '-c', 'greeter']);
      return result.code === 0 && result.stdout !== '' ? result : undefined;
    }, 20_000);
    assert.equal(logs.stdout, 'hello from hello\n');
    assert.equal(logs.stderr, '');
    // exec to an agent of another process goes through the API server's upgrade proxy (TLS).
    for (const version of ['1.27', '1.32'] as const) {
      const exec = await kubectl(server, ['exec', 'hello', '-c', 'greeter', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3'], { version });
      assert.deepEqual(exec, { code: 3, stdout: 'out\n', stderr: 'err\ncommand terminated with exit code 3\n' });
    }
  });

  test('a token whose CA hash does not match the server makes the agent refuse to join', async () => {
    const badHash = token.replace(/^K10([0-9a-f])/, (_, c: string) => `K10${c === '0' ? '1' : '0'}`);
    const refused = spawnAgent([...nodeArgs, '--token', badHash, '--data-dir', join(root, 'node3'), '--node-name', 'node3']);
    const exit = await withDeadline(refused.exited, 20_000, 'peapod agent with a bad token exiting');
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.equal(refused.stderr(), `peapod agent: the CA served by ${server.url} does not match the join token\n`);
    const nodes = await kubectl(server, ['get', 'node', 'node3']);
    assert.equal(nodes.stderr, 'Error from server (NotFound): nodes "node3" not found\n');
  });

  test('a token that is not K10<hash>::<token> is refused with the expected form', async () => {
    const refused = spawnAgent([...nodeArgs, '--token', 'not-a-token', '--data-dir', join(root, 'node4'), '--node-name', 'node4']);
    const exit = await withDeadline(refused.exited, 20_000, 'peapod agent with a malformed token exiting');
    assert.deepEqual(exit, { code: 1, signal: null });
    assert.match(refused.stderr(), /^peapod agent: --token: expected K10<sha256 of the cluster CA>::<token>/);
  });
});

/** SIGTERM, then SIGKILL if the agent has not exited within 15 s. */
async function stopAgent(agent: AgentProcess): Promise<Awaited<AgentProcess['exited']>> {
  agent.child.kill('SIGTERM');
  const exit = await withDeadline(agent.exited, 15_000, 'peapod agent exiting on SIGTERM').catch(() => undefined);
  if (exit) return exit;
  agent.child.kill('SIGKILL');
  await agent.exited;
  throw new Error(`peapod agent did not exit within 15 s of SIGTERM:\n${agent.stderr()}`);
}

async function readLease(server: TestServer): Promise<Lease | undefined> {
  const result = await kubectl(server, ['get', 'lease', 'node2', '-n', 'kube-node-lease', '-o', 'json']);
  return result.code === 0 ? JSON.parse(result.stdout) as Lease : undefined;
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
