// `kubectl exec -it` and `kubectl attach -it` on a real pseudo-terminal (test/support/pty.ts), with
// kubectl 1.27, 1.32 and 1.33: typing into the container's shell, its echo and prompt, the
// terminal's size at the start and after a resize of kubectl's own terminal (SIGWINCH to
// kubectl), and the exit codes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, type KubectlVersion } from '../support/kubectl.ts';
import { kubectlInPty, type PtyKubectl } from '../support/pty.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';
import { untilTerm } from './support.ts';

const versions: KubectlVersion[] = ['1.27', '1.32', '1.33'];
const timeout = 90_000;
const size = { rows: 30, cols: 90 };
const suffix = (version: KubectlVersion) => version.replace('.', '');

describe('kubectl exec -it and attach -it on a real terminal', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
    const shell = (name: string) => podWith(name, { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [busybox('sh', { command: ['sh'], stdin: true, tty: true })] });
    const pods = [
      podWith('box', { terminationGracePeriodSeconds: 0, containers: [busybox('main', { command: untilTerm() })] }),
      ...versions.map((v) => shell(`shell-${suffix(v)}`)),
    ];
    await Promise.all(pods.map((p) => createPod(server, p)));
    await Promise.all(pods.map((p) => statusBecomes(server, p.metadata!.name!, 'Running', 60_000)));
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=0'], { timeoutMs: 60_000 });
    await server.stop();
  });

  for (const version of versions) {
    const target = () => ({ ...server, cacheDir: `${server.cacheDir}-${version}` });
    const inPty = (args: string[]) => kubectlInPty(target(), args, { version, size });

    test(`kubectl ${version}: exec -it: a shell with echo and prompt, its size, a resize, the exit code`, { timeout }, async () => {
      const term = inPty(['exec', '-it', 'box', '--', 'sh']);
      try {
        await term.shows(/\/ # /, undefined, 30_000);
        await typeAndSee(term, 'echo $((6*7))\r', /echo \$\(\(6\*7\)\)\r\n42\r\n/);
        await sizeIs(term, '30 90');
        await term.resize({ rows: 40, cols: 100 });
        await sizeIs(term, '40 100');
        term.type('exit 3\r');
        const { code, screen } = await term.exited;
        assert.equal(code, 3);
        assert.match(screen, /exit 3\r\ncommand terminated with exit code 3\r\n$/);
      } finally {
        await term.kill();
      }
    });

    test(`kubectl ${version}: attach -it to a stdin+tty container: the prompt after Enter, its size, a resize; the session ends with the shell`, { timeout }, async () => {
      const name = `shell-${suffix(version)}`;
      const term = inPty(['attach', '-it', name]);
      try {
        await term.shows(/If you don't see a command prompt, try pressing enter\.\r\n/, undefined, 30_000);
        await term.shows(/\/ # /, '\r');
        await typeAndSee(term, 'echo attached\r', /echo attached\r\nattached\r\n/);
        await sizeIs(term, '30 90');
        await term.resize({ rows: 40, cols: 100 });
        await sizeIs(term, '40 100');
        term.type('exit 3\r');
        const { code, screen } = await term.exited;
        assert.equal(code, 0, 'attach reports no exit code');
        // kubectl's last words; script(1) may end before it read them from the terminal.
        assert.match(screen, new RegExp(`exit 3\\r\\n(Session ended, resume using 'kubectl attach ${name} -c sh -i -t' command when the pod is running\\r\\n)?$`));
      } finally {
        await term.kill();
      }
      const pod = await statusBecomes(server, name, 'Error');
      assert.equal(pod.STATUS, 'Error');
    });
  }
});

/** Types a line once and waits for the terminal to show the expected echo and output. */
async function typeAndSee(term: PtyKubectl, line: string, shown: RegExp): Promise<void> {
  term.type(line);
  await term.shows(shown);
}

/** `stty size` in the container, typed again until it shows the size (a resize applies asynchronously). */
async function sizeIs(term: PtyKubectl, rowsCols: string): Promise<void> {
  await term.shows(new RegExp(`stty size\\r\\n${rowsCols}\\r\\n`), 'stty size\r');
}
