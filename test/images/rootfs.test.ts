import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { mediaTypes, sha256Digest } from '../../src/agent/images/oci/types.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import { ImageStore } from '../../src/agent/images/store/pull.ts';
import { packTar } from '../../src/agent/images/tar/writer.ts';
import { mountRootfs, type Rootfs } from '../../src/agent/images/unpack/rootfs.ts';
import { SnapshotStore } from '../../src/agent/images/unpack/snapshots.ts';
import { push, startRegistry, type TestRegistry } from './registry.ts';

function isMounted(path: string): boolean {
  return readFileSync('/proc/self/mounts', 'utf8').split('\n').some((line) => line.split(' ')[1] === path);
}

describe('overlayfs rootfs', () => {
  let dir: string;
  let registry: TestRegistry;
  const mounted: Rootfs[] = [];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-rootfs-'));
    buildBusyboxImage(join(dir, 'busybox'));
    registry = await startRegistry();
    await push(registry, join(dir, 'busybox'), 'library/busybox:latest');
  });
  after(async () => {
    for (const rootfs of mounted) await rootfs.unmount();
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('pull, unpack and mount busybox: the container sees the image and writes only to its upper dir', async () => {
    const store = new ImageStore({ root: join(dir, 'images'), client: new RegistryClient() });
    const { image } = await store.pull(`${registry.host}/library/busybox`);
    const snapshots = new SnapshotStore(join(dir, 'images'));
    const lowerdirs = await snapshots.unpackImage(image, (digest) => store.content.path(digest));
    const rootfs = await mountRootfs(join(dir, 'containers', 'c1'), lowerdirs);
    mounted.push(rootfs);
    assert.ok(isMounted(rootfs.path));
    assert.match(readFileSync(join(rootfs.path, 'etc/passwd'), 'utf8'), /^root:x:0:0/);
    const run = spawnSync('chroot', [rootfs.path, '/bin/sh', '-c', 'echo hello > /tmp/greeting && cat /tmp/greeting'], { encoding: 'utf8' });
    assert.equal(run.stdout, 'hello\n', run.stderr);
    assert.equal(readFileSync(join(dir, 'containers', 'c1', 'upper', 'tmp', 'greeting'), 'utf8'), 'hello\n');
    assert.equal(existsSync(join(lowerdirs[0], 'tmp', 'greeting')), false, 'the shared snapshot is untouched');

    const second = await mountRootfs(join(dir, 'containers', 'c2'), lowerdirs);
    mounted.push(second);
    assert.equal(existsSync(join(second.path, 'tmp', 'greeting')), false, 'containers do not see each other\'s writes');
    assert.deepEqual(readdirSync(join(dir, 'images', 'snapshots')).length, 1, 'both share one snapshot');

    await rootfs.unmount();
    assert.equal(isMounted(rootfs.path), false);
    assert.equal(existsSync(join(dir, 'containers', 'c1')), false);
  });

  test('whiteouts and opaque directories hide lower layers', async () => {
    const snapshots = new SnapshotStore(join(dir, 'layers'));
    const layer = (entries: Parameters<typeof packTar>[0]) => {
      const tar = packTar(entries);
      const blobPath = join(dir, sha256Digest(tar).slice(7));
      writeFileSync(blobPath, gzipSync(tar));
      return { blobPath, mediaType: mediaTypes.ociLayerGzip, diffId: sha256Digest(tar) };
    };
    const lower = layer([
      { name: 'etc/keep', body: Buffer.from('keep') },
      { name: 'etc/gone', body: Buffer.from('gone') },
      { name: 'var/old', body: Buffer.from('old') },
      { name: 'data/', type: 'directory' },
      { name: 'data/a', body: Buffer.from('a') },
    ]);
    const upper = layer([
      { name: 'etc/.wh.gone', body: Buffer.alloc(0) },
      { name: 'var/.wh..wh..opq', body: Buffer.alloc(0) },
      { name: 'var/new', body: Buffer.from('new') },
      { name: '.wh.data', body: Buffer.alloc(0) },
    ]);
    const rootfs = await mountRootfs(join(dir, 'containers', 'c3'), await snapshots.unpack([lower, upper]));
    mounted.push(rootfs);
    assert.deepEqual(readdirSync(join(rootfs.path, 'etc')), ['keep']);
    assert.deepEqual(readdirSync(join(rootfs.path, 'var')), ['new']);
    assert.equal(existsSync(join(rootfs.path, 'data')), false);
    await rootfs.unmount();
    assert.equal(isMounted(rootfs.path), false);
  });
});
