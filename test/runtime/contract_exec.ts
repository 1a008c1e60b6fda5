// Contract: processes started in a running container (Runtime.exec, execSync).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execSync } from '../../src/agent/runtime/exec/exec_sync.ts';
import type { ExecProcess } from '../../src/agent/runtime/runtime.ts';
import type { ContractSteps } from './contract_steps.ts';
import { execs, workloads } from './workloads.ts';

export function execContract(t: ContractSteps): void {
  /** A sandbox with one running server container (env GREETING=hello); removed after `body`. */
  async function inServer(body: (id: string) => Promise<void>): Promise<void> {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    try {
      const id = await t.run(sandboxId, 'server', workloads.server, { env: [{ key: 'GREETING', value: 'hello' }] });
      await t.waitForLine(id, 'ready');
      await body(id);
    } finally {
      await t.runtime.removeSandbox(sandboxId);
    }
  }

  test('exec: stdout and stderr apart, the exit code, the container\'s environment', () => inServer(async (id) => {
    const proc = await t.runtime.exec(id, { cmd: execs.outErrExit3 });
    const [stdout, stderr, code] = await Promise.all([text(proc.stdout), text(proc.stderr), proc.exited]);
    assert.deepEqual({ stdout, stderr, code }, { stdout: 'out hello\n', stderr: 'err\n', code: 3 });
  }));

  test('exec: stdin up to its end is the process\'s input', () => inServer(async (id) => {
    const proc = await t.runtime.exec(id, { cmd: execs.cat, stdin: true });
    proc.stdin?.end('line one\nline two\n');
    assert.equal(await text(proc.stdout), 'line one\nline two\n');
    assert.equal(await proc.exited, 0);
  }));

  test('exec with a tty: one output stream with CRLF; input read at once meets the terminal of the size given', () => inServer(async (id) => {
    const proc = await t.runtime.exec(id, { cmd: execs.readThenSize, tty: true, stdin: true, size: { width: 90, height: 30 } });
    assert.equal(proc.stderr, undefined);
    const output = text(proc.stdout);
    proc.stdin?.end('go\n');
    assert.match(await output, /^(go\r\n)?30 90\r\n$/);
    assert.equal(await proc.exited, 0);
  }));

  test('exec: a command that does not exist rejects with Failed and shows no output', () => inServer(async (id) => {
    const proc = await t.runtime.exec(id, { cmd: ['no-such-command'] });
    const [stdout, stderr] = await Promise.all([text(proc.stdout), text(proc.stderr)]);
    await assert.rejects(proc.exited, { name: 'RuntimeError', code: 'Failed', message: /"no-such-command": executable file not found/ });
    assert.deepEqual([stdout, stderr], ['', '']);
  }));

  test('exec: an exited container is InvalidState, an unknown one NotFound', async () => {
    const sandboxId = await t.runtime.runSandbox(t.podConfig());
    const id = await t.run(sandboxId, 'failing', workloads.failing);
    await t.waitExited(id);
    await assert.rejects(t.runtime.exec(id, { cmd: execs.cat }), { code: 'InvalidState' });
    await assert.rejects(t.runtime.exec('nope', { cmd: execs.cat }), { code: 'NotFound' });
    await t.runtime.removeSandbox(sandboxId);
  });

  test('execSync: the whole output and the code; past the timeout DeadlineExceeded, the process killed', () => inServer(async (id) => {
    const done = await execSync(t.runtime, id, execs.outErrExit3, 10_000);
    assert.deepEqual([done.exitCode, done.stdout.toString(), done.stderr.toString()], [3, 'out hello\n', 'err\n']);
    const expired = async () => undefined; // the deadline passes at once
    await assert.rejects(execSync(t.runtime, id, execs.hang, 1000, expired), { code: 'DeadlineExceeded', message: `command "${execs.hang.join(' ')}" timed out` });
    assert.equal((await execSync(t.runtime, id, execs.cat, 10_000)).exitCode, 0);
  }));
}

async function text(stream: ExecProcess['stderr']): Promise<string> {
  if (stream === undefined) return '';
  let out = '';
  for await (const chunk of stream) out += String(chunk);
  return out;
}
