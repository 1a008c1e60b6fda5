// Attach on the real runtime: conmon's attach socket and ctl fifo in a bundle whose absolute path
// is longer than a socket address holds, stdin with and without stdinOnce, a terminal and its
// resize (asynchronous: the test polls), a container without stdin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ContainerConfig } from '../../src/agent/runtime/runtime.ts';
import type { RuntimeHarness } from './contract.ts';
import { ContractSteps } from './contract_steps.ts';
import { ociHarness } from './oci_harness.ts';
import type { Workload } from './workloads.ts';

let h: RuntimeHarness;
before(async () => { h = await ociHarness(); });
after(() => h?.close());

const echoer: Workload = { command: ['sh', '-c', 'while read l; do echo "got $l"; echo "err $l" >&2; done; echo bye'], fake: {} };
const ticker: Workload = { command: ['sh', '-c', 'while true; do echo tick; sleep 0.1; done'], fake: {} };
const shell: Workload = { command: ['sh'], fake: {} };

/** Everything a stream has shown so far, and a wait for a text to show up in it. */
function collect(stream: NodeJS.ReadableStream | undefined): { text(): string; shows(part: string, nudge?: () => void): Promise<void> } {
  let text = '';
  stream?.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return {
    text: () => text,
    async shows(part, nudge) {
      for (const deadline = Date.now() + 10_000; !text.includes(part); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > deadline) throw new Error(`no ${JSON.stringify(part)} in ${JSON.stringify(text)}`);
        nudge?.();
      }
    },
  };
}

describe('attach on the real runtime', { concurrency: true }, () => {
  const t = new ContractSteps(() => h);

  async function inContainer(w: Workload, config: Partial<ContainerConfig>, body: (id: string) => Promise<void>): Promise<void> {
    const sandboxId = await h.runtime.runSandbox(t.podConfig());
    try {
      await body(await t.run(sandboxId, 'app', w, config));
    } finally {
      await h.runtime.removeSandbox(sandboxId);
    }
  }

  test('the attach socket and ctl fifo are in the bundle, past the length of a socket address', () => inContainer(ticker, {}, async (id) => {
    // ociHarness keeps the runtime's state beside the log directory.
    const bundle = join(dirname(h.logDirectory), 'state', 'containers', id);
    assert.ok((await stat(join(bundle, 'attach'))).isSocket());
    assert.ok((await stat(join(bundle, 'ctl'))).isFIFO());
    assert.ok(join(bundle, 'attach').length > 108, `${bundle} is short enough to hide the problem`);
    const proc = await h.runtime.attach(id, {});
    await collect(proc.stdout).shows('tick\n');
    proc.kill();
    assert.equal(await proc.exited, 0);
  }));

  test('stdin without stdinOnce: input reaches the process, stdout and stderr apart; the container outlives the client', () => inContainer(echoer, { stdin: true }, async (id) => {
    const first = await h.runtime.attach(id, { stdin: true });
    const [out, err] = [collect(first.stdout), collect(first.stderr)];
    first.stdin?.write('one\n');
    await out.shows('got one\n');
    await err.shows('err one\n');
    first.stdin?.end();
    first.kill();
    assert.equal(await first.exited, 0);
    assert.equal((await h.runtime.containerStatus(id)).state, 'running');
    const second = await h.runtime.attach(id, { stdin: true });
    const again = collect(second.stdout);
    second.stdin?.write('two\n');
    await again.shows('got two\n');
    assert.ok(!again.text().includes('one'), 'output from before the attach is not replayed');
    second.kill();
    await second.exited;
  }));

  test('stdinOnce: the end of the first client\'s input closes the container\'s stdin; the attach ends with the output', () => inContainer(echoer, { stdin: true, stdinOnce: true }, async (id) => {
    const proc = await h.runtime.attach(id, { stdin: true });
    const out = collect(proc.stdout);
    proc.stdin?.end('last\n');
    assert.equal(await proc.exited, 0);
    assert.equal(out.text(), 'got last\nbye\n');
    assert.equal((await t.waitExited(id)).exitCode, 0);
  }));

  test('a tty: one output stream with the terminal\'s line endings; resizes reach the process', () => inContainer(shell, { stdin: true, tty: true }, async (id) => {
    const proc = await h.runtime.attach(id, { stdin: true });
    assert.equal(proc.stderr, undefined);
    const out = collect(proc.stdout);
    await proc.resize({ width: 90, height: 30 });
    await out.shows('30 90\r\n', () => proc.stdin?.write('stty size\n'));
    await proc.resize({ width: 100, height: 40 });
    await out.shows('40 100\r\n', () => proc.stdin?.write('stty size\n'));
    proc.stdin?.write('exit 3\n');
    assert.equal(await proc.exited, 0);
    assert.equal((await t.waitExited(id)).exitCode, 3);
  }));

  test('resizes in pairs, as kubectl sends them (its size+1, then its size), end on the second every time', () => inContainer(shell, { stdin: true, tty: true }, async (id) => {
    const proc = await h.runtime.attach(id, { stdin: true });
    const out = collect(proc.stdout);
    for (let i = 0; i < 10; i++) {
      const [height, width] = [20 + i, 60 + i];
      await proc.resize({ width: width + 1, height: height + 1 });
      await proc.resize({ width, height });
      await out.shows(`stty size\r\n${height} ${width}\r\n`, () => proc.stdin?.write('stty size\n'));
    }
    proc.stdin?.write('exit\n');
    await proc.exited;
  }));

  test('input for a container without stdin is dropped; its output still flows', () => inContainer(ticker, {}, async (id) => {
    const proc = await h.runtime.attach(id, { stdin: true });
    assert.equal(proc.stdin, undefined);
    await collect(proc.stdout).shows('tick\n');
    proc.kill();
    assert.equal(await proc.exited, 0);
  }));

  test('an exited container is InvalidState, an unknown one NotFound', () => inContainer(echoer, { stdin: true, stdinOnce: true }, async (id) => {
    const proc = await h.runtime.attach(id, { stdin: true });
    proc.stdin?.end();
    await proc.exited;
    await t.waitExited(id);
    await assert.rejects(h.runtime.attach(id, {}), { code: 'InvalidState' });
    await assert.rejects(h.runtime.attach('nope', {}), { code: 'NotFound' });
  }));
});
