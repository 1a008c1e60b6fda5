// Contract: the container's securityContext, read back from /proc/self/status inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSecurity, ContainerUser } from '../../src/agent/runtime/runtime.ts';
import type { ContractSteps } from './contract_steps.ts';
import { workloads } from './workloads.ts';

export function securityContract(t: ContractSteps): void {
  /** Uid, CapEff, NoNewPrivs and Seccomp of a container's process (first field of each line). */
  const procStatus = async (sandboxId: string, name: string, security?: ContainerSecurity, user?: ContainerUser): Promise<Record<string, string>> => {
    const lines = await t.output(sandboxId, name, workloads.procStatus, { security, user });
    return Object.fromEntries(lines.map((l) => { const [key, value] = l.split(':\t'); return [key, value?.split('\t')[0] ?? '']; }));
  };

  test('default security: runtime-default capabilities and seccomp, no no_new_privs, root', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    assert.deepEqual(await procStatus(sandboxId, 'default'), { Uid: '0', CapEff: '00000000a80425fb', NoNewPrivs: '0', Seccomp: '2' });
    await t.runtime.removeSandbox(sandboxId);
  });

  test('capabilities: drop ALL, add NET_ADMIN; Unconfined seccomp; noNewPrivileges; runAsUser', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    assert.equal((await procStatus(sandboxId, 'dropped', { capabilities: { drop: ['ALL'] } })).CapEff, '0000000000000000');
    assert.equal((await procStatus(sandboxId, 'netadmin', { capabilities: { add: ['NET_ADMIN'] } })).CapEff, '00000000a80435fb');
    assert.equal((await procStatus(sandboxId, 'unconfined', { seccomp: 'Unconfined' })).Seccomp, '0');
    assert.equal((await procStatus(sandboxId, 'nnp', { noNewPrivileges: true })).NoNewPrivs, '1');
    const user = await procStatus(sandboxId, 'user', undefined, { uid: 1000, gid: 1000 });
    assert.deepEqual([user.Uid, user.CapEff], ['1000', '0000000000000000']);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('RuntimeDefault seccomp denies new namespaces without CAP_SYS_ADMIN; Unconfined allows them', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    assert.deepEqual(await t.output(sandboxId, 'confined', workloads.userNamespace), ['denied']);
    assert.deepEqual(await t.output(sandboxId, 'unconfined', workloads.userNamespace, { security: { seccomp: 'Unconfined' } }), ['allowed']);
    await t.runtime.removeSandbox(sandboxId);
  });

  test('readonlyRootfs: a write to the root filesystem fails', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    assert.deepEqual(await t.output(sandboxId, 'ro', workloads.rootfsWrite, { security: { readonlyRootfs: true } }), ['readonly']);
    assert.deepEqual(await t.output(sandboxId, 'rw', workloads.rootfsWrite), ['writable']);
    await t.runtime.removeSandbox(sandboxId);
  });
}
