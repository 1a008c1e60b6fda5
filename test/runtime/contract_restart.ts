// Contract: a runtime opened over an earlier one's state adopts its sandboxes and containers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContractSteps } from './contract_steps.ts';
import { workloads } from './workloads.ts';

export function restartContract(t: ContractSteps): void {
  test('after a restart: same sandboxes and containers; an exit while down and a kill afterwards are reported', async () => {
    const a = t.runtime;
    const sandboxId = await a.runSandbox(t.podConfig({ annotations: { note: 'kept' } }));
    const serverId = await t.run(sandboxId, 'server', workloads.server, { labels: { role: 'server' }, annotations: { a: 'b' } });
    const createdId = await a.createContainer(sandboxId, t.containerConfig('created', workloads.server));
    const failingId = await t.run(sandboxId, 'failing', workloads.failing);
    const victimId = await t.run(sandboxId, 'victim', workloads.stubborn);
    await t.waitForLine(serverId, 'ready');
    const before = { sandboxes: await a.listSandboxes(), containers: await a.listContainers() };

    // The agent is gone (no stop); a container dies meanwhile.
    await t.h.killProcess(a, await a.containerStatus(victimId));
    const b = await t.h.reopen();
    const victim = await t.waitExited(victimId, b);
    assert.deepEqual([victim.state, victim.exitCode, victim.metadata.name], ['exited', 137, 'victim']);
    assert.deepEqual(await b.listSandboxes(), before.sandboxes);
    const failing = await t.waitExited(failingId, b);
    assert.equal(failing.exitCode, 3);
    assert.ok(failing.finishedAt instanceof Date);
    const byId = (id: string) => before.containers.find((c) => c.id === id);
    assert.deepEqual(await b.containerStatus(serverId), byId(serverId));
    assert.deepEqual(await b.containerStatus(createdId), byId(createdId));
    const server = await b.containerStatus(serverId);
    assert.deepEqual([server.state, server.labels, server.annotations], ['running', { role: 'server' }, { a: 'b' }]);

    await t.h.killProcess(b, server);
    const killed = await t.waitExited(serverId, b);
    assert.deepEqual([killed.state, killed.exitCode, killed.reason], ['exited', 137, 'Error']);
    await b.startContainer(createdId);
    await b.stopSandbox(sandboxId);
    await b.removeSandbox(sandboxId);
    assert.deepEqual(await b.listContainers(), []);
    assert.deepEqual(await t.h.leftovers(), []);
  });
}
