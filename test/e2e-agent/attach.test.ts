// `kubectl attach` to real runc containers through conmon's attach socket, with kubectl 1.27
// (SPDY/3.1), 1.32 and 1.33 (WebSocket v5.channel.k8s.io): output only, `-i` to a container with
// stdin (with and without stdinOnce) and to one without, a tty container, and the errors as
// Kubernetes gives them. `attach -it` on a real terminal is in tty.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { kubectl, kubectlSpawn, type KubectlProcess, type KubectlVersion } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';

const versions: KubectlVersion[] = ['1.27', '1.32', '1.33'];
const timeout = 90_000;
const prompt = "If you don't see a command prompt, try pressing enter.";

/** Echoes each input line to stdout and to stderr; says bye when its stdin ends. */
const echoer = (name: string, extra: Partial<Container> = {}): Container =>
  busybox(name, { command: ['sh', '-c', 'while read l; do echo "got $l"; echo "err $l" >&2; done; echo bye'], stdin: true, ...extra });
const ticking = (word: string): string[] => ['sh', '-c', `i=0; while true; do echo ${word} $i; i=$((i+1)); sleep 0.2; done`];
const suffix = (version: KubectlVersion) => version.replace('.', '');

describe('kubectl attach on a real node', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
    const pods = [
      podWith('ticker', { terminationGracePeriodSeconds: 0, containers: [busybox('t', { command: ticking('tick') })] }),
      podWith('tock', { terminationGracePeriodSeconds: 0, containers: [busybox('t', { command: ticking('tock'), stdin: true, tty: true })] }),
      podWith('crash', { terminationGracePeriodSeconds: 0, containers: [busybox('ok', { command: ['sleep', '3600'] }), busybox('crasher', { command: ['sh', '-c', 'exit 1'] })] }),
      podWith('done', { restartPolicy: 'Never', containers: [busybox('c', { command: ['true'] })] }),
      ...versions.flatMap((v) => [
        podWith(`echo-${suffix(v)}`, { terminationGracePeriodSeconds: 0, containers: [echoer('echo')] }),
        podWith(`once-${suffix(v)}`, { restartPolicy: 'Never', containers: [echoer('once', { stdinOnce: true })] }),
      ]),
    ];
    await Promise.all(pods.map((p) => createPod(server, p)));
    await Promise.all(['ticker', 'tock', ...versions.flatMap((v) => [`echo-${suffix(v)}`, `once-${suffix(v)}`])].map((name) => statusBecomes(server, name, 'Running', 60_000)));
    await statusBecomes(server, 'done', 'Completed');
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=0'], { timeoutMs: 60_000 });
    await server.stop();
  });

  for (const version of versions) {
    const target = () => ({ ...server, cacheDir: `${server.cacheDir}-${version}` });
    const spawnAttach = (args: string[], openStdin = false) => kubectlSpawn(target(), ['attach', ...args], { version, openStdin });

    test(`kubectl ${version}: attach without -i shows the output from then on; -i to a container without stdin too`, { timeout }, async () => {
      for (const args of [['ticker'], ['-i', 'ticker']]) {
        const attach = spawnAttach(args, true);
        try {
          attach.stdin.write('ignored\n');
          assert.equal(await attach.stderrLines.take('the prompt', undefined, 30_000), prompt);
          const first = Number(/^tick (\d+)$/.exec(await attach.stdoutLines.take('a tick', undefined, 30_000))?.[1]);
          assert.ok(first > 0, 'output from before the attach is not replayed');
          assert.equal(await attach.stdoutLines.take('the next tick'), `tick ${first + 1}`);
          assert.equal(await attach.stdoutLines.take('the next tick'), `tick ${first + 2}`);
        } finally {
          await attach.kill();
        }
      }
    });

    test(`kubectl ${version}: attach -i passes input; stdout and stderr apart; -t without a tty in the container is refused by kubectl`, { timeout }, async () => {
      for (const args of [['-i'], ['-it']]) {
        const attach = spawnAttach([...args, `echo-${suffix(version)}`], true);
        try {
          if (args.includes('-it')) assert.equal(await attach.stderrLines.take('the tty refusal', undefined, 30_000), 'error: Unable to use a TTY - container echo did not allocate one');
          assert.equal(await attach.stderrLines.take('the prompt', undefined, 30_000), prompt);
          await exchange(attach, `one ${args.join('')}`);
          await exchange(attach, `two ${args.join('')}`);
        } finally {
          await attach.kill();
        }
      }
    });

    test(`kubectl ${version}: attach -i to a stdinOnce container: the end of input closes its stdin, kubectl ends with its output`, { timeout }, async () => {
      const name = `once-${suffix(version)}`;
      const result = await kubectl(target(), ['attach', '-i', name], { version, input: 'last\n', timeoutMs: 45_000 });
      assert.deepEqual(result, { code: 0, stdout: 'got last\nbye\n', stderr: `${prompt}\nerr last\n` });
      await statusBecomes(server, name, 'Completed');
    });

    test(`kubectl ${version}: attach to a tty container without -i: its terminal's output on stdout`, { timeout }, async () => {
      const attach = spawnAttach(['tock']);
      try {
        assert.match(await attach.stdoutLines.take('a line', undefined, 30_000), /^tock \d+$/);
        assert.match(await attach.stdoutLines.take('a line'), /^tock \d+$/);
      } finally {
        const { stdout, stderr } = await attach.kill();
        assert.match(stdout, /^(tock \d+\r\n)+(tock \d*)?$/);
        assert.equal(stderr, `${prompt}\n`);
      }
    });

    test(`kubectl ${version}: a completed pod, a missing container, a container not running, a missing pod`, { timeout }, async () => {
      const run = (args: string[]) => kubectl(target(), ['attach', ...args], { version, timeoutMs: 45_000 });
      assert.deepEqual(await run(['done']), { code: 1, stdout: '', stderr: 'error: cannot attach a container in a completed pod; current phase is Succeeded\n' });
      assert.deepEqual(await run(['crash', '-c', 'nope']), { code: 1, stdout: '', stderr: 'error: cannot attach to the container: container nope not found in pod crash\n' });
      assert.deepEqual(await run(['crash', '-c', 'crasher']), {
        code: 1, stdout: '', stderr: `${prompt}\nerror: unable to upgrade connection: container crasher not found in pod crash_default\n`,
      });
      assert.deepEqual(await run(['absent']), { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "absent" not found\n' });
    });
  }
});

/** A line typed into an echo container comes back on stdout and, apart, on stderr. */
async function exchange(attach: KubectlProcess, line: string): Promise<void> {
  attach.stdin.write(`${line}\n`);
  assert.equal(await attach.stdoutLines.take(`got ${line}`, undefined, 20_000), `got ${line}`);
  assert.equal(await attach.stderrLines.take(`err ${line}`, undefined, 20_000), `err ${line}`);
}
