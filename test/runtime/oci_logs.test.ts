// Log reopening on the real runtime: conmon's ctl message "2 0 0" after the log was renamed away;
// output goes on in the new file and no longer in the renamed one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rename } from 'node:fs/promises';
import type { RuntimeHarness } from './contract.ts';
import { ContractSteps } from './contract_steps.ts';
import { ociHarness } from './oci_harness.ts';

let h: RuntimeHarness;
before(async () => { h = await ociHarness(); });
after(() => h?.close());

test('after a rename and a reopen, conmon writes the new file and no longer the old one', async () => {
  const t = new ContractSteps(() => h);
  const sandboxId = await h.runtime.runSandbox(t.podConfig());
  try {
    const ticker = { command: ['sh', '-c', 'i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.05; done'], fake: {} };
    const id = await t.run(sandboxId, 'ticker', ticker);
    await t.waitForLine(id, 'tick 3');
    const { logPath } = await h.runtime.containerStatus(id);
    await rename(logPath, `${logPath}.1`);
    await h.runtime.reopenContainerLog(id);
    // conmon closed the old file before it made the new one: the renamed file is complete.
    const old = await readFile(`${logPath}.1`, 'utf8');
    const oldLast = await lastTick(`${logPath}.1`);
    assert.ok(oldLast !== undefined && oldLast >= 3);
    await t.waitForLine(id, `tick ${oldLast + 3}`);
    const firstNew = Number(/stdout F tick (\d+)\n/.exec(await readFile(logPath, 'utf8'))?.[1]);
    assert.equal(firstNew, oldLast + 1, 'no line lost or repeated between the files');
    await t.waitForLine(id, `tick ${firstNew + 5}`);
    assert.equal(await readFile(`${logPath}.1`, 'utf8'), old, 'the renamed file no longer grows');
  } finally {
    await h.runtime.removeSandbox(sandboxId);
  }
});

async function lastTick(path: string): Promise<number | undefined> {
  const ticks = [...(await readFile(path, 'utf8')).matchAll(/stdout F tick (\d+)\n/g)].map((m) => Number(m[1]));
  return ticks.at(-1);
}
