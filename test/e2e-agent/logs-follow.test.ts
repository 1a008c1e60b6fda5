// `kubectl logs` with kubectl 1.27, 1.32 and 1.33 on a node that rotates logs quickly
// (--container-log-max-size 2Ki, --container-log-max-files 3, checked every 3 s): -f across a
// rotation and across a restart, --tail and --previous reaching into rotated files, the files the
// rotation keeps, --all-containers, --prefix and -l.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubectl, kubectlSpawn, type KubectlVersion } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { busybox, createPod, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod } from './support.ts';

const versions: KubectlVersion[] = ['1.27', '1.32', '1.33'];
const timeout = 120_000;
/** Ten numbered lines a second, ~140 bytes each in the CRI file: past 2Ki at every check. */
const numbered = (count: string) => `i=0; while [ $i -lt ${count} ]; do echo "line $i $(printf %090d 0)"; i=$((i+1)); sleep 0.1; done`;
/** One attempt in an emptyDir, so that each restart knows its number. */
const attempt = 'n=$(( $(cat /state/n 2>/dev/null || echo 0) + 1 )); echo $n > /state/n;';
const state = { volumeMounts: [{ name: 'state', mountPath: '/state' }] };

describe('kubectl logs across rotations and restarts', { concurrency: true }, () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true, args: ['--container-log-max-size', '2Ki', '--container-log-max-files', '3', '--container-log-monitor-interval', '3s'] });
    const pods = [
      podWith('duo', { terminationGracePeriodSeconds: 0, containers: [
        busybox('a', { command: ['sh', '-c', 'echo a-1; echo a-2; sleep 3600'] }), busybox('b', { command: ['sh', '-c', 'echo b-1; echo b-2; sleep 3600'] }),
      ] }),
      podWith('solo', { terminationGracePeriodSeconds: 0, containers: [busybox('s', { command: ['sh', '-c', 'echo s-1; sleep 3600'] })] }),
      podWith('rot', { terminationGracePeriodSeconds: 0, containers: [busybox('w', { command: ['sh', '-c', numbered('1000000')] })] }),
      // Attempt 1 writes 40 lines over 4 s (rotated on the way) and fails; attempt 2 stays quiet.
      podWith('prev', { terminationGracePeriodSeconds: 0, volumes: [{ name: 'state', emptyDir: {} }], containers: [
        busybox('p', { command: ['sh', '-c', `${attempt} [ $n -ge 2 ] && exec sleep 3600; ${numbered('40')}; exit 1`], ...state }),
      ] }),
      // Attempt 1 says two lines and fails 20 s later; attempt 2 says two lines and stays.
      podWith('restarts', { terminationGracePeriodSeconds: 0, volumes: [{ name: 'state', emptyDir: {} }], containers: [
        busybox('r', { command: ['sh', '-c', `${attempt} echo attempt $n line 1; echo attempt $n line 2; [ $n -ge 2 ] && exec sleep 3600; sleep 20; exit 1`], ...state }),
      ] }),
    ];
    for (const pod of pods) pod.metadata!.labels = { app: ['duo', 'solo'].includes(pod.metadata!.name!) ? 'x' : 'y' };
    await Promise.all(pods.map((p) => createPod(server, p)));
    await Promise.all(pods.map((p) => statusBecomes(server, p.metadata!.name!, 'Running', 60_000)));
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=0'], { timeoutMs: 60_000 });
    await server.stop();
  });

  /** The files of one container's log directory on the node. */
  async function logFiles(pod: string, container: string): Promise<{ dir: string; names: string[] }> {
    const uid = (await getPod(server, pod)).metadata?.uid ?? '';
    const dir = join(server.dataDir, 'agent', 'logs', `default_${pod}_${uid}`, container);
    return { dir, names: (await readdir(dir)).sort() };
  }

  for (const version of versions) {
    const target = () => ({ ...server, cacheDir: `${server.cacheDir}-${version}` });
    const logs = (args: string[]) => kubectl(target(), ['logs', ...args], { version, timeoutMs: 45_000 });

    test(`kubectl ${version}: --all-containers, --prefix, -l app=x`, { timeout }, async () => {
      // kubectl fetches the containers' logs concurrently: each container's lines stay in order.
      const all = await logs(['duo', '--all-containers']);
      assert.deepEqual(byPrefix(all.stdout, ['a-', 'b-']), [['a-1', 'a-2'], ['b-1', 'b-2']]);
      assert.deepEqual([all.code, all.stderr, all.stdout.split('\n').length], [0, '', 5]);
      const prefixed = await logs(['duo', '--all-containers', '--prefix']);
      assert.deepEqual(byPrefix(prefixed.stdout, ['[pod/duo/a] ', '[pod/duo/b] ']), [['[pod/duo/a] a-1', '[pod/duo/a] a-2'], ['[pod/duo/b] b-1', '[pod/duo/b] b-2']]);
      assert.deepEqual([prefixed.code, prefixed.stderr, prefixed.stdout.split('\n').length], [0, '', 5]);
      const selected = await logs(['-l', 'app=x']);
      assert.deepEqual(sortedLines(selected.stdout), ['a-1', 'a-2', 's-1']);
      assert.equal(selected.stderr, 'Defaulted container "a" out of: a, b\n');
      const everything = await logs(['-l', 'app=x', '--all-containers', '--prefix']);
      assert.deepEqual(sortedLines(everything.stdout), ['[pod/duo/a] a-1', '[pod/duo/a] a-2', '[pod/duo/b] b-1', '[pod/duo/b] b-2', '[pod/solo/s] s-1']);
    });

    test(`kubectl ${version}: -f goes on across rotations, no line lost or repeated`, { timeout }, async () => {
      const follow = kubectlSpawn(target(), ['logs', '-f', 'rot', '--tail=1'], { version });
      try {
        const rotatedBefore = (await logFiles('rot', 'w')).names.filter((n) => n !== '0.log');
        const first = lineNumber(await follow.stdoutLines.take('a line', undefined, 30_000));
        for (let n = first + 1; n <= first + 80; n++) {
          assert.equal(lineNumber(await follow.stdoutLines.take(`line ${n}`, undefined, 20_000)), n);
        }
        const rotatedAfter = (await logFiles('rot', 'w')).names.filter((n) => n !== '0.log' && !rotatedBefore.includes(n));
        assert.ok(rotatedAfter.length > 0, 'the log was rotated while kubectl followed it');
      } finally {
        await follow.kill();
      }
    });

    test(`kubectl ${version}: -f goes on into the next attempt after a restart`, { timeout }, async () => {
      const follow = kubectlSpawn(target(), ['logs', '-f', 'restarts'], { version });
      try {
        for (const line of ['attempt 1 line 1', 'attempt 1 line 2', 'attempt 2 line 1', 'attempt 2 line 2']) {
          assert.equal(await follow.stdoutLines.take(line, undefined, 60_000), line);
        }
      } finally {
        await follow.kill();
      }
    });

    test(`kubectl ${version}: --tail and --previous read into rotated files; MaxFiles are kept`, { timeout }, async () => {
      // Between a rename and conmon's reopen there is no 0.log: look until it is there.
      const live = await eventually('a rotated log compressed, at most 3 files', async () => {
        const { dir, names } = await logFiles('rot', 'w');
        if (!names.some((n) => /^0\.log\.\d{8}-\d{6}\.gz$/.test(n))) return undefined;
        assert.ok(names.length <= 3, names.join(' '));
        return (await readFile(join(dir, '0.log'), 'utf8')).split('\n').length - 1;
      }, 30_000, 250);
      const tail = live + 20;
      const tailed = numbersOf((await logs(['rot', `--tail=${tail}`])).stdout);
      assert.equal(tailed.length, tail);
      assertConsecutive(tailed);
      // Once a fourth file would be kept, the oldest goes: the log no longer starts at line 0.
      const all = await eventually('the oldest rotated file removed', async () => {
        const numbers = numbersOf((await logs(['rot'])).stdout);
        return numbers[0]! > 0 ? numbers : undefined;
      }, 30_000, 500);
      assertConsecutive(all);
      await eventually('the second attempt of prev', async () => ((await getPod(server, 'prev')).status?.containerStatuses?.[0]?.restartCount === 1 ? true : undefined), 60_000, 250);
      const previous = numbersOf((await logs(['prev', '--previous'])).stdout);
      const previousLive = (await readFile(join((await logFiles('prev', 'p')).dir, '0.log'), 'utf8')).split('\n').length - 1;
      assertConsecutive(previous);
      assert.equal(previous.at(-1), 39);
      assert.ok(previous.length > previousLive, `${previous.length} lines, ${previousLive} of them in 0.log`);
    });
  }
});

/** The lines starting with each prefix, in the order they came. */
function byPrefix(text: string, prefixes: string[]): string[][] {
  return prefixes.map((p) => text.split('\n').filter((l) => l.startsWith(p)));
}

function sortedLines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '').sort();
}

function lineNumber(line: string): number {
  const match = /^line (\d+) 0{90}$/.exec(line);
  if (!match) throw new Error(`not a numbered line: ${JSON.stringify(line)}`);
  return Number(match[1]);
}

function numbersOf(text: string): number[] {
  return text.split('\n').filter((l) => l !== '').map(lineNumber);
}

function assertConsecutive(numbers: number[]): void {
  numbers.forEach((n, i) => assert.equal(n, numbers[0]! + i, `line ${i} is ${n}, after ${numbers[i - 1]}`));
}
