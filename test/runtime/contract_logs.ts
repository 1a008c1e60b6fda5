// Contract: a container's log file reopened after it was renamed away (Runtime.reopenContainerLog),
// the runtime's part of log rotation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename, stat } from 'node:fs/promises';
import type { ContractSteps } from './contract_steps.ts';
import { workloads } from './workloads.ts';

export function logsContract(t: ContractSteps): void {
  test('reopenContainerLog: a new file at logPath; the renamed one keeps what was written', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    try {
      const id = await t.run(sandboxId, 'server', workloads.server);
      await t.waitForLine(id, 'ready');
      const { logPath } = await t.runtime.containerStatus(id);
      await rename(logPath, `${logPath}.rotated`);
      await t.runtime.reopenContainerLog(id);
      assert.ok((await stat(logPath)).isFile());
      assert.notEqual((await stat(logPath)).ino, (await stat(`${logPath}.rotated`)).ino);
      assert.match(await readFile(`${logPath}.rotated`, 'utf8'), / stdout F ready\n$/);
    } finally {
      await t.runtime.removeSandbox(sandboxId);
    }
  });

  test('reopenContainerLog: an exited container is InvalidState and gets no new file; an unknown one NotFound', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    try {
      const id = await t.run(sandboxId, 'failing', workloads.failing);
      const { logPath } = await t.waitExited(id);
      await rename(logPath, `${logPath}.rotated`);
      await assert.rejects(t.runtime.reopenContainerLog(id), { code: 'InvalidState' });
      await assert.rejects(stat(logPath), { code: 'ENOENT' });
      await assert.rejects(t.runtime.reopenContainerLog('nope'), { code: 'NotFound' });
    } finally {
      await t.runtime.removeSandbox(sandboxId);
    }
  });
}
