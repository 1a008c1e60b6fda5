import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ContainerConfigError } from '../../src/agent/volumes/index.ts';
import { memoryVolumeSize } from '../../src/agent/volumes/emptydir.ts';
import { mountedFsType, mountsUnder } from '../../src/agent/volumes/mount.ts';
import { context, harness, makePod, type Harness } from './fixtures.ts';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const mountLine = (dir: string): string => readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === dir) ?? '';

describe('emptyDir', () => {
  test('on disk: a 0777 directory, kept across setUps', async () => {
    const pod = makePod({ volumes: [{ name: 'scratch', emptyDir: {} }] });
    const volumes = await h.manager.setUp(pod, context);
    const dir = join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~empty-dir', 'scratch');
    assert.deepEqual(volumes.volumes.get('scratch'), { path: dir, readOnly: false });
    assert.equal(statSync(dir).mode & 0o7777, 0o777);
    assert.equal(mountedFsType(dir), undefined);
    writeFileSync(join(dir, 'data'), 'kept');
    await h.manager.setUp(pod, context);
    assert.equal(readFileSync(join(dir, 'data'), 'utf8'), 'kept');
  });

  test('medium Memory: one tmpfs of sizeLimit, not mounted twice', async () => {
    const pod = makePod({ volumes: [{ name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } }] });
    const volumes = await h.manager.setUp(pod, context);
    const dir = volumes.volumes.get('cache')!.path;
    assert.equal(mountedFsType(dir), 'tmpfs');
    assert.match(mountLine(dir), /size=16384k/);
    await h.manager.setUp(pod, context);
    assert.equal(mountsUnder(dir).length, 1);
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === dir).length, 1);
  });

  test('memory size: the smallest of node allocatable, pod limit and sizeLimit', () => {
    const limited = (memory: string) => ({ name: 'c', image: 'busybox', resources: { limits: { memory } } });
    assert.equal(memoryVolumeSize(makePod({}), '1Gi'), 1024 ** 3);
    assert.equal(memoryVolumeSize(makePod({ containers: [limited('100Mi'), limited('28Mi')] }), '1Gi'), 128 * 1024 ** 2);
    assert.equal(memoryVolumeSize(makePod({ containers: [limited('100Mi'), { name: 'x', image: 'b' }] }), '1Gi'), 1024 ** 3, 'a container without limit: no pod limit');
    assert.equal(memoryVolumeSize(makePod({ containers: [limited('100Mi')], initContainers: [limited('300Mi')] }), '1Gi'), 300 * 1024 ** 2);
    assert.equal(memoryVolumeSize(makePod({ containers: [limited('100Mi')] }), '1Gi', '10Mi'), 10 * 1024 ** 2);
    assert.equal(memoryVolumeSize(makePod({ containers: [limited('100Mi')] }), '1Gi', '2Gi'), 100 * 1024 ** 2, 'sizeLimit above the pod limit is ignored');
  });

  test('fsGroup: group and setgid on the volume', async () => {
    const pod = makePod({ securityContext: { fsGroup: 3000 }, volumes: [{ name: 'scratch', emptyDir: {} }] });
    const dir = (await h.manager.setUp(pod, context)).volumes.get('scratch')!.path;
    assert.equal(statSync(dir).gid, 3000);
    assert.equal(statSync(dir).mode & 0o7777, 0o2777);
  });
});

describe('hostPath', () => {
  const setUp = (path: string, type?: string) =>
    h.manager.setUp(makePod({ volumes: [{ name: 'host', hostPath: { path, type } }] }), context);

  test('the path itself, created by the *OrCreate types', async () => {
    const dirPath = join(h.dir, 'made/deep');
    const volumes = await setUp(dirPath, 'DirectoryOrCreate');
    assert.deepEqual(volumes.volumes.get('host'), { path: dirPath, readOnly: false });
    assert.equal(statSync(dirPath).mode & 0o777, 0o755);
    const filePath = join(h.dir, 'made/file');
    await setUp(filePath, 'FileOrCreate');
    assert.ok(statSync(filePath).isFile());
    assert.equal(statSync(filePath).mode & 0o777, 0o644);
    await setUp(join(h.dir, 'anything'));
    assert.equal(existsSync(join(h.dir, 'anything')), false, 'no type: no check, nothing made');
  });

  test('type checks fail with the kubelet messages', async () => {
    const dir = join(h.dir, 'd');
    const file = join(h.dir, 'f');
    mkdirSync(dir);
    writeFileSync(file, '');
    const cases: [string, string, string][] = [
      [file, 'Directory', `hostPath type check failed: ${file} is not a directory`],
      [file, 'DirectoryOrCreate', `hostPath type check failed: ${file} is not a directory`],
      [join(h.dir, 'none'), 'Directory', `hostPath type check failed: ${join(h.dir, 'none')} does not exist`],
      [dir, 'File', `hostPath type check failed: ${dir} is not a file`],
      [dir, 'FileOrCreate', `hostPath type check failed: ${dir} is not a file`],
      [file, 'Socket', `hostPath type check failed: ${file} is not a socket file`],
      [file, 'CharDevice', `hostPath type check failed: ${file} is not a character device`],
      [file, 'BlockDevice', `hostPath type check failed: ${file} is not a block device`],
    ];
    for (const [path, type, message] of cases) {
      await assert.rejects(setUp(path, type), (err: unknown) => err instanceof ContainerConfigError && err.message === message && err.volume === 'host', type);
    }
    await setUp(dir, 'Directory');
    await setUp(file, 'File');
    await setUp('/dev/null', 'CharDevice');
  });

  test('Socket accepts a listening unix socket', async () => {
    const path = join(h.dir, 's.sock');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path, resolve));
    try {
      await setUp(path, 'Socket');
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('tearDown', () => {
  test('unmounts every tmpfs and removes the pod directory; idempotent', async () => {
    h.sources.addSecret('creds', { a: 'A' });
    const pod = makePod({ volumes: [
      { name: 'cache', emptyDir: { medium: 'Memory' } },
      { name: 'creds', secret: { secretName: 'creds' } },
      { name: 'scratch', emptyDir: {} },
    ] });
    await h.manager.setUp(pod, context);
    const podDir = join(h.rootDir, 'uid-1');
    assert.equal(mountsUnder(podDir).length, 2);
    await h.manager.tearDown('uid-1');
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(podDir), false);
    assert.equal(existsSync(podDir), false);
    await h.manager.tearDown('uid-1');
  });

  test('refuses a uid that is not a plain name', async () => {
    await assert.rejects(h.manager.tearDown('..'), /invalid pod uid/);
    await assert.rejects(h.manager.tearDown('a/b'), /invalid pod uid/);
  });
});
