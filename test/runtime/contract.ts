// The Runtime contract (src/agent/runtime/runtime.ts) as one suite that the real runtime and the
// fake both run (workloads.ts names each real command and the fake's script of the same process).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { ContainerStatus, Runtime } from '../../src/agent/runtime/runtime.ts';
import { ContractSteps } from './contract_steps.ts';
import { execContract } from './contract_exec.ts';
import { logsContract } from './contract_logs.ts';
import { podContract } from './contract_pod.ts';
import { resourcesContract } from './contract_resources.ts';
import { restartContract } from './contract_restart.ts';
import { securityContract } from './contract_security.ts';
import { workloads } from './workloads.ts';

export interface RuntimeHarness {
  runtime: Runtime;
  /** A rootfs holding /bin/busybox with sh, sleep, echo, cat, ls, grep, tr, touch, hostname, unshare, stty and dd. */
  rootfsPath: string;
  logDirectory: string;
  /** readlink /proc/PID/ns/KIND, e.g. "net:[4026532219]". */
  namespaceOf(pid: number, kind: 'net' | 'pid'): Promise<string>;
  /** Where the runtime puts cgroups of its own (OciRuntimeOptions.cgroupParent); callers' pod cgroups go below it in tests. */
  cgroupParent: string;
  /** The memory cgroup of a process, as /proc/PID/cgroup names it. */
  cgroupOf(pid: number): Promise<string>;
  /** The node's namespace of a kind (readlink /proc/self/ns/KIND). */
  hostNamespace(kind: 'net' | 'pid'): Promise<string>;
  /** A runtime over the same state, as after an agent restart; it becomes `runtime` from then on. */
  reopen(): Promise<Runtime>;
  /** SIGKILLs a container's process from outside the runtime. */
  killProcess(runtime: Runtime, container: ContainerStatus): Promise<void>;
  /** Milliseconds on the clock the runtime waits by. */
  now(): number;
  /** What the runtime left on the host (runc state, mounts, cgroups, conmon processes); [] when clean. */
  leftovers(): Promise<string[]>;
  /** Removes everything, also after a failed test. */
  close(): Promise<void>;
}

export function runtimeContract(name: string, setup: () => Promise<RuntimeHarness>): void {
  describe(`Runtime contract: ${name}`, () => {
    let h: RuntimeHarness;
    before(async () => { h = await setup(); });
    after(async () => { await h?.close(); });

    const t = new ContractSteps(() => h);
    const podConfig = t.podConfig.bind(t);
    const containerConfig = t.containerConfig.bind(t);
    const run = t.run.bind(t);
    const waitExited = (id: string): Promise<ContainerStatus> => t.waitExited(id);

    test('containers share the sandbox network namespace and have their own PID namespaces', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const sandbox = await h.runtime.sandboxStatus(sandboxId);
      assert.equal(sandbox.state, 'ready');
      assert.ok(sandbox.pid > 0);
      const a = await h.runtime.containerStatus(await run(sandboxId, 'a', workloads.server, { labels: { role: 'a' } }));
      const b = await h.runtime.containerStatus(await run(sandboxId, 'b', workloads.server));
      assert.equal(a.state, 'running');
      assert.ok(a.startedAt instanceof Date);
      const sandboxNet = await h.namespaceOf(sandbox.pid, 'net');
      assert.equal(await h.namespaceOf(a.pid, 'net'), sandboxNet);
      assert.equal(await h.namespaceOf(b.pid, 'net'), sandboxNet);
      const pidNamespaces = new Set([sandbox.pid, a.pid, b.pid].map((pid) => h.namespaceOf(pid, 'pid')));
      assert.equal(new Set(await Promise.all(pidNamespaces)).size, 3);
      assert.deepEqual((await h.runtime.listContainers({ sandboxId })).map((s) => s.id).sort(), [a.id, b.id].sort());
      assert.deepEqual((await h.runtime.listContainers({ labelSelector: { role: 'a' } })).map((s) => s.id), [a.id]);
      assert.deepEqual((await h.runtime.listSandboxes({ labelSelector: { app: 'web' } })).map((s) => s.id), [sandboxId]);
      assert.deepEqual(await h.runtime.listSandboxes({ labelSelector: { app: 'other' } }), []);
      await h.runtime.removeSandbox(sandboxId);
    });

    test('an exit code is reported and stdout is in the CRI log', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const id = await run(sandboxId, 'failing', workloads.failing);
      const s = await waitExited(id);
      assert.equal(s.state, 'exited');
      assert.equal(s.exitCode, 3);
      assert.equal(s.reason, 'Error');
      assert.equal(s.pid, 0);
      assert.ok(s.finishedAt instanceof Date);
      const log = await readFile(s.logPath, 'utf8');
      assert.match(log, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) stdout F hello from app\n$/);
      assert.deepEqual((await h.runtime.listContainers({ state: 'exited' })).map((c) => c.id), [id]);
      await h.runtime.removeSandbox(sandboxId);
    });

    test('stop: SIGTERM ends a cooperative process before the timeout', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const id = await run(sandboxId, 'server', workloads.server);
      await t.waitForLine(id, 'ready');
      const started = h.now();
      await h.runtime.stopContainer(id, 10);
      assert.ok(h.now() - started < 5000);
      const s = await h.runtime.containerStatus(id);
      assert.equal(s.state, 'exited');
      assert.equal(s.exitCode, 0);
      assert.equal(s.reason, 'Completed');
      await h.runtime.stopContainer(id, 10);
      await h.runtime.removeSandbox(sandboxId);
    });

    test('stop: a process ignoring SIGTERM is killed after the timeout', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const id = await run(sandboxId, 'stubborn', workloads.stubborn);
      const started = h.now();
      await h.runtime.stopContainer(id, 1);
      assert.ok(h.now() - started >= 1000, `stopped after ${h.now() - started} ms`);
      const s = await h.runtime.containerStatus(id);
      assert.equal(s.exitCode, 137);
      await h.runtime.removeSandbox(sandboxId);
    });

    test('stop: the container\'s stop signal goes first (a process handling SIGQUIT alone exits at once)', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const quitting = await run(sandboxId, 'quitting', workloads.quitter, { stopSignal: 'SIGQUIT' });
      const terminated = await run(sandboxId, 'terminated', workloads.quitter);
      await t.waitForLine(quitting, 'ready');
      await t.waitForLine(terminated, 'ready');
      const started = h.now();
      await h.runtime.stopContainer(quitting, 10);
      assert.ok(h.now() - started < 5000, `stopped after ${h.now() - started} ms`);
      assert.equal((await h.runtime.containerStatus(quitting)).exitCode, 0);
      await h.runtime.stopContainer(terminated, 1);
      assert.equal((await h.runtime.containerStatus(terminated)).exitCode, 137, 'SIGTERM ignored, then SIGKILL');
      await h.runtime.removeSandbox(sandboxId);
    });

    test('stopSandbox stops its containers and the infra process', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const created = await h.runtime.createContainer(sandboxId, containerConfig('never-started', workloads.server));
      const running = await run(sandboxId, 'server', workloads.server);
      await h.runtime.stopSandbox(sandboxId);
      await h.runtime.stopSandbox(sandboxId);
      assert.equal((await h.runtime.sandboxStatus(sandboxId)).state, 'notready');
      for (const id of [created, running]) assert.equal((await h.runtime.containerStatus(id)).state, 'exited');
      await assert.rejects(h.runtime.createContainer(sandboxId, containerConfig('late', workloads.server)), { code: 'InvalidState' });
      await h.runtime.removeSandbox(sandboxId);
    });

    test('a created container can be removed without starting; removing a running one kills it', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const created = await h.runtime.createContainer(sandboxId, containerConfig('c', workloads.server));
      assert.equal((await h.runtime.containerStatus(created)).state, 'created');
      await h.runtime.removeContainer(created);
      const running = await run(sandboxId, 'r', workloads.stubborn);
      await h.runtime.removeContainer(running);
      await h.runtime.removeContainer(running);
      await assert.rejects(h.runtime.containerStatus(running), { code: 'NotFound' });
      await h.runtime.removeSandbox(sandboxId);
    });

    test('a created container whose process died cannot be started: an error, and it is reported exited', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const id = await h.runtime.createContainer(sandboxId, containerConfig('doomed', workloads.server));
      await h.killProcess(h.runtime, await h.runtime.containerStatus(id));
      await assert.rejects(h.runtime.startContainer(id), (err: Error & { code?: string }) => err.name === 'RuntimeError' && ['InvalidState', 'Failed'].includes(err.code ?? ''));
      const s = await waitExited(id);
      assert.deepEqual([s.state, s.exitCode], ['exited', 137]);
      await h.runtime.removeSandbox(sandboxId);
    });

    test('errors: unknown ids are NotFound, a second start is InvalidState', async () => {
      await assert.rejects(h.runtime.sandboxStatus('nope'), { name: 'RuntimeError', code: 'NotFound' });
      await assert.rejects(h.runtime.startContainer('nope'), { code: 'NotFound' });
      const sandboxId = await h.runtime.runSandbox(podConfig());
      const id = await run(sandboxId, 'twice', workloads.server);
      await assert.rejects(h.runtime.startContainer(id), { code: 'InvalidState' });
      await h.runtime.removeSandbox(sandboxId);
    });

    podContract(t);
    securityContract(t);
    restartContract(t);
    execContract(t);
    logsContract(t);
    resourcesContract(t);

    test('remove leaves nothing behind', async () => {
      const sandboxId = await h.runtime.runSandbox(podConfig());
      await run(sandboxId, 'a', workloads.server);
      await run(sandboxId, 'b', workloads.failing);
      await h.runtime.removeSandbox(sandboxId);
      await h.runtime.removeSandbox(sandboxId);
      await assert.rejects(h.runtime.sandboxStatus(sandboxId), { code: 'NotFound' });
      assert.deepEqual(await h.runtime.listSandboxes(), []);
      assert.deepEqual(await h.runtime.listContainers(), []);
      assert.deepEqual(await h.leftovers(), []);
    });
  });
}
