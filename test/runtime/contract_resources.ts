// Contract: a container's cgroup carries its resources, the caller's pod cgroup holds the pod,
// and an OOM kill is reported as OOMKilled, also after a restart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { removeCgroup } from '../../src/agent/cgroups/cgroupfs.ts';
import type { LinuxContainerResources } from '../../src/agent/runtime/runtime.ts';
import type { ContractSteps } from './contract_steps.ts';
import { workloads } from './workloads.ts';

const MiB = 1024 * 1024;

export function resourcesContract(t: ContractSteps): void {
  test('a container\'s resources are the values of its own cgroup', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    const resources: LinuxContainerResources = {
      cpuShares: 204, cpuQuota: 20_000, cpuPeriod: 100_000, memoryLimitInBytes: 64 * MiB, memorySwapLimitInBytes: 64 * MiB,
    };
    const lines = await t.output(sandboxId, 'limited', workloads.cgroupValues, { resources });
    assert.deepEqual(lines, [String(64 * MiB), String(64 * MiB), '204', '20000', '100000']);
    const unlimited = await t.output(sandboxId, 'unlimited', workloads.cgroupValues);
    assert.deepEqual(unlimited.slice(3), ['-1', '100000'], 'no quota without one');
    await t.runtime.removeSandbox(sandboxId);
  });

  test('with a cgroupParent the infra process and each container get a cgroup below it, which stays the caller\'s', async () => {
    const parent = `${t.h.cgroupParent}/pod-caller-owned`;
    const sandboxId = await t.runtime.runSandbox(t.podConfig({ cgroupParent: parent }));
    const id = await t.run(sandboxId, 'server', workloads.server);
    const sandbox = await t.runtime.sandboxStatus(sandboxId);
    const container = await t.runtime.containerStatus(id);
    assert.equal(await t.h.cgroupOf(sandbox.pid), `${parent}/${sandboxId}`);
    assert.equal(await t.h.cgroupOf(container.pid), `${parent}/${id}`);
    await t.runtime.removeSandbox(sandboxId);
    await removeCgroup(parent);
    assert.deepEqual(await t.h.leftovers(), []);
  });

  test('a container that touches more than its memory limit is OOMKilled with 137, also after a restart', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    const limit = { memoryLimitInBytes: 32 * MiB, memorySwapLimitInBytes: 32 * MiB };
    const hog = await t.waitExited(await t.run(sandboxId, 'hog', workloads.memoryHog, { resources: limit }));
    assert.deepEqual([hog.state, hog.exitCode, hog.reason], ['exited', 137, 'OOMKilled']);
    const roomy = await t.waitExited(await t.run(sandboxId, 'roomy', workloads.memoryHog, { resources: { memoryLimitInBytes: 256 * MiB } }));
    assert.deepEqual([roomy.exitCode, roomy.reason], [0, 'Completed']);
    const after = await t.waitExited(hog.id, await t.h.reopen());
    assert.deepEqual([after.exitCode, after.reason], [137, 'OOMKilled']);
    await t.runtime.removeSandbox(sandboxId);
  });
}
