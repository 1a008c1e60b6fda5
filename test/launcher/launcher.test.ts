// The launcher on this machine's perl: what a process gets (argv, stdin, env, cwd) and what comes
// back (exit code, signal, stdout, stderr, the sync line), many at once, and a helper that died.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, launchSynced, LaunchError, run } from '../../src/agent/launcher/launcher.ts';
import { stopLauncher } from '../../src/agent/launcher/helper.ts';

after(() => stopLauncher());

/** A process of this file's own, found by its command line to end it. */
const lingering = `sleep 29.${process.pid}`;

test('argv, stdin, env and cwd in; exit code, stdout and stderr out', async () => {
  const result = await launch(['sh', '-c', 'cat; echo "$GREETING in $(pwd)" >&2; exit 3'], { input: 'line one\nline two\n', env: { GREETING: 'hello' }, cwd: '/tmp' });
  assert.deepEqual([result.code, result.signal, result.stdout.toString(), result.stderr.toString()], [3, null, 'line one\nline two\n', 'hello in /tmp\n']);
});

test('run: a non-zero exit is a LaunchError with stderr; a missing program exits 127 with the reason', async () => {
  await assert.rejects(run(['sh', '-c', 'echo broken >&2; exit 2']), (err: unknown) => err instanceof LaunchError && err.code === 2 && err.stderr === 'broken\n' && err.message === 'sh -c echo broken >&2; exit 2: broken');
  const missing = await launch(['/no/such/program']);
  assert.equal(missing.code, 127);
  assert.match(missing.stderr.toString(), /^launcher: cannot run \/no\/such\/program: No such file or directory/);
});

test('a process past its timeout is killed; one ended by a signal reports it', async () => {
  const started = Date.now();
  const slow = await launch(['sleep', '30'], { timeoutMs: 200 });
  assert.deepEqual([slow.code, slow.signal], [null, 'SIGKILL']);
  assert.ok(Date.now() - started < 10_000);
  const killed = await launch(['sh', '-c', 'kill -TERM $$']);
  assert.deepEqual([killed.code, killed.signal], [null, 'SIGTERM']);
});

test('large input and output pass whole; 40 processes at once each get their own answer', async () => {
  const big = Buffer.alloc(1 << 20, 'x');
  const echoed = await launch(['cat'], { input: big });
  assert.equal(echoed.stdout.length, big.length);
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => run(['sh', '-c', `echo ${i}`])));
  assert.deepEqual(answers.map((a) => a.stdout), Array.from({ length: 40 }, (_, i) => `${i}\n`));
});

test('sync mode: the first line on fd 3 comes back without waiting for what the process left running', async () => {
  const synced = await launchSynced(['sh', '-c', `echo '{"pid": 42}' >&3; ${lingering} >/dev/null 2>&1 3>&- &`], { env: { _OCI_SYNCPIPE: '3' } });
  assert.equal(synced.line, '{"pid": 42}');
  const silent = await launchSynced(['sh', '-c', 'echo no line >&2; exit 1']);
  assert.deepEqual(silent, { line: undefined, stderr: 'no line\n' });
  execFileSync('pkill', ['-f', `^${lingering}$`]);
});

test('a helper that died fails what it was running and is started again for the next process', async () => {
  const pending = launch(lingering.split(' '));
  await new Promise((r) => setTimeout(r, 200));
  // Only this process's helper: other test files run helpers of their own meanwhile.
  execFileSync('pkill', ['-KILL', '-P', String(process.pid), '-f', '^perl -e # The launcher']);
  const lost = await pending;
  assert.equal(lost.code, null);
  assert.match(lost.stderr.toString(), /the helper process ended/);
  assert.equal((await run(['echo', 'again'])).stdout, 'again\n');
  execFileSync('pkill', ['-f', `^${lingering}$`]);
});
