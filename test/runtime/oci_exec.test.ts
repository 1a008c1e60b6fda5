// Exec with a terminal on the real runtime, where the terminal is a real pty that runc sizes:
// a resize reaches the process (asynchronously, as with every CRI runtime: the test polls).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeHarness } from './contract.ts';
import { ContractSteps } from './contract_steps.ts';
import { ociHarness } from './oci_harness.ts';
import { workloads } from './workloads.ts';

let h: RuntimeHarness;
before(async () => { h = await ociHarness(); });
after(() => h?.close());

test('a resize of an exec terminal reaches the process: stty size shows it', async () => {
  const t = new ContractSteps(() => h);
  const sandboxId = await h.runtime.runSandbox(t.podConfig());
  try {
    const id = await t.run(sandboxId, 'server', workloads.server);
    await t.waitForLine(id, 'ready');
    const proc = await h.runtime.exec(id, { cmd: ['sh', '-c', 'while read line; do stty size; done'], tty: true, stdin: true, size: { width: 90, height: 30 } });
    let output = '';
    proc.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    const sizeShown = async (size: string) => {
      for (const deadline = Date.now() + 5000; !output.includes(`${size}\r\n`); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > deadline) throw new Error(`no "${size}" in ${JSON.stringify(output)}`);
        proc.stdin?.write('\n');
      }
    };
    await sizeShown('30 90');
    await proc.resize({ width: 100, height: 40 });
    await sizeShown('40 100');
    proc.stdin?.end();
    assert.equal(await proc.exited, 0);
  } finally {
    await h.runtime.removeSandbox(sandboxId);
  }
});
