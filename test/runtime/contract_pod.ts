// Contract: what the pod's containers share (namespaces, /etc/hostname, /etc/resolv.conf, /dev/shm).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { ContractSteps } from './contract_steps.ts';
import { workloads } from './workloads.ts';

export function podContract(t: ContractSteps): void {
  test('containers see the pod hostname and the resolv.conf of dnsConfig', async () => {
    const dnsConfig = { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] };
    const sandboxId = await t.runtime.runSandbox(t.podConfig({ hostname: 'web-0', dnsConfig }));
    assert.deepEqual(await t.output(sandboxId, 'hostname', workloads.hostname), ['web-0', 'web-0']);
    assert.deepEqual(await t.output(sandboxId, 'resolv', workloads.resolvConf), [
      'search default.svc.cluster.local svc.cluster.local', 'nameserver 10.96.0.10', 'options ndots:5',
    ]);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('without dnsConfig the node\'s resolv.conf is used', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    const node = (await readFile('/etc/resolv.conf', 'utf8')).split('\n').filter((l) => l !== '');
    assert.deepEqual(await t.output(sandboxId, 'resolv', workloads.resolvConf), node);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('/dev/shm is shared by the pod\'s containers and not with other pods', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    const other = await t.runtime.runSandbox(t.podConfig());
    assert.deepEqual(await t.output(sandboxId, 'writer', workloads.shmWriter), []);
    assert.deepEqual(await t.output(sandboxId, 'reader', workloads.shmReader), ['shared']);
    const outsider = await t.waitExited(await t.run(other, 'outsider', workloads.shmReader));
    assert.doesNotMatch(await readFile(outsider.logPath, 'utf8').catch(() => ''), / stdout F shared/);
    await t.runtime.removeSandbox(sandboxId);
    await t.runtime.removeSandbox(other);
  });

  test('pid "container": PID 1 is the container\'s own process', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    assert.deepEqual(await t.output(sandboxId, 'pid1', workloads.pid1), workloads.pid1.command);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('pid "pod": containers share the infra PID namespace, catatonit is PID 1', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig({ namespaceOptions: { pid: 'pod' } }));
    const sandbox = await t.runtime.sandboxStatus(sandboxId);
    assert.deepEqual(sandbox.namespaceOptions, { network: 'pod', ipc: 'pod', pid: 'pod' });
    const server = await t.runtime.containerStatus(await t.run(sandboxId, 'server', workloads.server));
    assert.equal(await t.h.namespaceOf(server.pid, 'pid'), await t.h.namespaceOf(sandbox.pid, 'pid'));
    assert.deepEqual(await t.output(sandboxId, 'pid1', workloads.pid1), ['/usr/bin/catatonit', '-P']);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('network, IPC and PID "node": the node\'s namespaces and hostname, no network namespace to configure', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig({ namespaceOptions: { network: 'node', ipc: 'node', pid: 'node' } }));
    const sandbox = await t.runtime.sandboxStatus(sandboxId);
    assert.equal(sandbox.state, 'ready');
    assert.equal(sandbox.netNamespacePath, '');
    const server = await t.runtime.containerStatus(await t.run(sandboxId, 'server', workloads.server));
    for (const kind of ['net', 'pid'] as const) {
      assert.equal(await t.h.namespaceOf(server.pid, kind), await t.h.hostNamespace(kind), kind);
    }
    assert.deepEqual(await t.output(sandboxId, 'hostname', workloads.hostname), [hostname(), hostname()]);
    await t.runtime.removeSandbox(sandboxId);
  });
}
