// Log rotation as the kubelet's container log manager does it: the plan from the files present,
// rotating one log (compress, keep MaxFiles, rename, reopen, undo on a failed reopen), and rounds
// of the manager over a runtime's containers (the fake runtime: it writes its logs by path).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ContainerLogManager } from '../../src/agent/logs/manager.ts';
import { allLogs, rotationStamp } from '../../src/agent/logs/rotated.ts';
import { planRotation, rotateLog } from '../../src/agent/logs/rotate.ts';
import { FakeRuntime } from '../../src/agent/runtime/fake.ts';
import { RuntimeError } from '../../src/agent/runtime/runtime.ts';

let dir: string;
let n = 0;
before(async () => { dir = await mkdtemp(join(tmpdir(), 'peapod-rotation-')); });
after(() => rm(dir, { recursive: true, force: true }));

async function freshDir(): Promise<string> {
  const d = join(dir, `c${n++}`);
  await mkdir(d);
  return d;
}

const at = (second: number) => new Date(2026, 10, 23, 14, 0, second);

describe('planRotation', () => {
  test('keeps MaxFiles-2 rotated files, compresses those still plain, drops leftovers', () => {
    const plan = planRotation(['L.1.gz', 'L.2.gz', 'L.3', 'L.4', 'L.4.gz', 'L.5.gz.tmp'], 4);
    assert.deepEqual(plan, { unused: ['L.4', 'L.5.gz.tmp'], excess: ['L.1.gz', 'L.2.gz'], compress: ['L.3'] });
  });

  test('MaxFiles 2 keeps no rotated file besides the one about to be made', () => {
    assert.deepEqual(planRotation(['L.1.gz', 'L.2'], 2), { unused: [], excess: ['L.1.gz', 'L.2'], compress: [] });
  });
});

describe('rotateLog', () => {
  test('three rotations with MaxFiles 3: the live log, the newest rotated plain, one older gzipped', async () => {
    const d = await freshDir();
    const log = join(d, '0.log');
    const reopen = async () => writeFile(log, '');
    for (const second of [1, 2, 3]) {
      await writeFile(log, `content ${second}\n`);
      await rotateLog(log, 3, { now: () => at(second), reopen });
    }
    const [s2, s3] = [rotationStamp(at(2)), rotationStamp(at(3))];
    assert.equal(s2, '20261123-140002');
    assert.deepEqual((await readdir(d)).sort(), ['0.log', `0.log.${s2}.gz`, `0.log.${s3}`]);
    assert.equal(gunzipSync(await readFile(join(d, `0.log.${s2}.gz`))).toString(), 'content 2\n');
    assert.equal(await readFile(join(d, `0.log.${s3}`), 'utf8'), 'content 3\n');
    assert.deepEqual(await allLogs(log), [join(d, `0.log.${s2}.gz`), join(d, `0.log.${s3}`), log]);
  });

  test('a reopen that fails puts the log back, to be rotated next round', async () => {
    const d = await freshDir();
    const log = join(d, '0.log');
    await writeFile(log, 'kept\n');
    const failing = async () => { throw new RuntimeError('Failed', 'conmon did not reopen'); };
    await assert.rejects(rotateLog(log, 5, { now: () => at(1), reopen: failing }), { message: 'conmon did not reopen' });
    assert.deepEqual(await readdir(d), ['0.log']);
    assert.equal(await readFile(log, 'utf8'), 'kept\n');
  });
});

describe('ContainerLogManager', () => {
  async function runtimeWith(logDirectory: string): Promise<{ runtime: FakeRuntime; running: string; exited: string; sandboxId: string }> {
    const runtime = new FakeRuntime({ behaviour: (c) => (c.metadata.name === 'exits' ? { exitCode: 0 } : {}) });
    const sandboxId = await runtime.runSandbox({ metadata: { name: 'p', uid: 'u', namespace: 'default', attempt: 0 }, logDirectory });
    const start = async (name: string) => {
      const id = await runtime.createContainer(sandboxId, { metadata: { name, attempt: 0 }, rootfsPath: '/', command: ['x'], logPath: `${name}/0.log` });
      await runtime.startContainer(id);
      return id;
    };
    return { runtime, running: await start('runs'), exited: await start('exits'), sandboxId };
  }

  test('a round rotates running containers\' logs at the limit, leaves smaller ones and exited containers', async () => {
    const d = await freshDir();
    const { runtime, running, exited } = await runtimeWith(d);
    const errors: unknown[] = [];
    const manager = new ContainerLogManager({ maxSize: 100, maxFiles: 5, monitorIntervalMs: 10_000 }, { runtime, now: () => at(7), onError: (_, err) => errors.push(err) });
    const runningLog = (await runtime.containerStatus(running)).logPath;
    const exitedLog = (await runtime.containerStatus(exited)).logPath;
    await writeFile(runningLog, 'x'.repeat(99));
    await writeFile(exitedLog, 'x'.repeat(500));
    await manager.rotateLogs();
    assert.deepEqual(await readdir(join(d, 'runs')), ['0.log']);
    await writeFile(runningLog, 'x'.repeat(100));
    await manager.rotateLogs();
    assert.deepEqual((await readdir(join(d, 'runs'))).sort(), ['0.log', `0.log.${rotationStamp(at(7))}`]);
    assert.equal(await readFile(runningLog, 'utf8'), '');
    assert.deepEqual(await readdir(join(d, 'exits')), ['0.log']);
    assert.deepEqual(errors, []);
  });

  test('a running container\'s missing log is reopened', async () => {
    const d = await freshDir();
    const { runtime, running } = await runtimeWith(d);
    const manager = new ContainerLogManager({ maxSize: 100, maxFiles: 5, monitorIntervalMs: 10_000 }, { runtime, now: () => at(1), onError: (_, err) => { throw err; } });
    await rm((await runtime.containerStatus(running)).logPath);
    await manager.rotateLogs();
    assert.deepEqual(await readdir(join(d, 'runs')), ['0.log']);
  });

  test('start runs a round at once and stop ends the loop', async () => {
    const d = await freshDir();
    const { runtime, running } = await runtimeWith(d);
    await writeFile((await runtime.containerStatus(running)).logPath, 'x'.repeat(200));
    const manager = new ContainerLogManager({ maxSize: 100, maxFiles: 5, monitorIntervalMs: 60_000 }, { runtime, now: () => at(1), onError: (_, err) => { throw err; } });
    manager.start();
    await manager.stop();
    assert.equal((await readdir(join(d, 'runs'))).length, 2);
  });
});
