// `kubectl exec` and `kubectl cp` against real runc containers, with kubectl 1.27 (SPDY/3.1),
// 1.32 and 1.33 (WebSocket v5.channel.k8s.io): output bytes, exit codes and error messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, type KubectlVersion } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';
import { untilTerm } from './support.ts';

const versions: KubectlVersion[] = ['1.27', '1.32', '1.33'];
const timeout = 60_000;

describe('kubectl exec and cp on a real node', { concurrency: true }, () => {
  let server: TestServer;
  let scratch: string;

  before(async () => {
    server = await startServer({ agent: true });
    scratch = await mkdtemp(join(tmpdir(), 'peapod-exec-'));
    await createPod(server, podWith('box', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('main', { command: untilTerm(), env: [{ name: 'GREETING', value: 'hello' }] }), busybox('side', { command: untilTerm() })],
    }));
    await createPod(server, podWith('done', { restartPolicy: 'Never', containers: [busybox('c', { command: ['true'] })] }));
    await statusBecomes(server, 'box', 'Running');
    await statusBecomes(server, 'done', 'Completed');
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  });

  for (const version of versions) {
    const run = (args: string[], input?: string) => kubectl({ ...server, cacheDir: `${server.cacheDir}-${version}` }, args, { version, input, timeoutMs: 45_000 });

    test(`kubectl ${version}: stdout and stderr apart, the exit code propagated`, { timeout }, async () => {
      const result = await run(['exec', 'box', '-c', 'main', '--', 'sh', '-c', 'echo out $GREETING; echo err >&2; exit 3']);
      assert.deepEqual(result, { code: 3, stdout: 'out hello\n', stderr: 'err\ncommand terminated with exit code 3\n' });
      assert.deepEqual(await run(['exec', 'box', '-c', 'side', '--', 'hostname']), { code: 0, stdout: 'box\n', stderr: '' });
    });

    test(`kubectl ${version}: -i passes stdin to its end; binary bytes unchanged`, { timeout }, async () => {
      const lines = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n') + '\n';
      assert.deepEqual(await run(['exec', '-i', 'box', '-c', 'main', '--', 'cat'], lines), { code: 0, stdout: lines, stderr: '' });
      const counted = await run(['exec', '-i', 'box', '-c', 'main', '--', 'wc', '-c'], 'x'.repeat(300_000));
      assert.equal(counted.stdout.trim(), '300000');
    });

    test(`kubectl ${version}: a missing container, a missing command, a completed pod, a missing pod`, { timeout }, async () => {
      const nope = await run(['exec', 'box', '-c', 'nope', '--', 'true']);
      assert.equal(nope.code, 1);
      assert.match(nope.stderr, /container nope is not valid for pod box\n$/);
      const missing = await run(['exec', 'box', '-c', 'main', '--', 'no-such-command']);
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /^error: Internal error occurred: error executing command in container: .*exec: "no-such-command": executable file not found in \$PATH\n$/);
      const done = await run(['exec', 'done', '--', 'true']);
      assert.deepEqual(done, { code: 1, stdout: '', stderr: 'error: cannot exec into a container in a completed pod; current phase is Succeeded\n' });
      const gone = await run(['exec', 'absent', '--', 'true']);
      assert.deepEqual(gone, { code: 1, stdout: '', stderr: 'Error from server (NotFound): pods "absent" not found\n' });
    });

    test(`kubectl ${version}: cp into the container and back (tar over exec)`, { timeout }, async () => {
      const local = join(scratch, `in-${version}.txt`);
      const content = Array.from({ length: 5000 }, (_, i) => `${version} row ${i}`).join('\n');
      await writeFile(local, content);
      const up = await run(['cp', local, `box:/tmp/copied-${version}.txt`, '-c', 'main']);
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await run(['exec', 'box', '-c', 'main', '--', 'wc', '-c', `/tmp/copied-${version}.txt`])).stdout, `${content.length} /tmp/copied-${version}.txt\n`);
      assert.equal((await run(['exec', 'box', '-c', 'main', '--', 'cat', `/tmp/copied-${version}.txt`])).stdout, content);
      const back = join(scratch, `out-${version}.txt`);
      const down = await run(['cp', `box:/tmp/copied-${version}.txt`, back, '-c', 'main']);
      assert.equal(down.code, 0, down.stderr);
      assert.equal(await readFile(back, 'utf8'), content);
    });
  }
});
