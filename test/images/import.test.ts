import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import { ImageArchiveError, importArchive } from '../../src/agent/images/store/import.ts';
import { ImageNotFoundError, ImageStore } from '../../src/agent/images/store/pull.ts';
import { SnapshotStore } from '../../src/agent/images/unpack/snapshots.ts';
import { packTar } from '../../src/agent/images/tar/writer.ts';
import { dockerArchive, ociArchive } from './archives.ts';

describe('image import, list and removal', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-import-'));
    buildBusyboxImage(join(dir, 'busybox'));
    buildBusyboxImage(join(dir, 'busybox-zstd'), 'zstd');
    dockerArchive(join(dir, 'busybox'), join(dir, 'docker.tar'), ['busybox:latest', 'example.com/tools/busybox:1']);
    ociArchive(join(dir, 'busybox-zstd'), join(dir, 'oci.tar'), 'localhost/busybox:zstd');
    writeFileSync(join(dir, 'docker.tar.gz'), gzipSync(readFileSync(join(dir, 'docker.tar'))));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const newStore = () => new ImageStore({ root: mkdtempSync(join(dir, 'store-')), client: new RegistryClient() });

  test('a docker archive (gzip too) imports under every RepoTag, and its layers unpack', async () => {
    const store = newStore();
    const images = await importArchive(store, join(dir, 'docker.tar.gz'));
    assert.deepEqual(images.map((i) => i.name), ['docker.io/library/busybox:latest', 'example.com/tools/busybox:1']);
    const busybox = store.get('busybox');
    assert.deepEqual(busybox?.config.config?.Cmd, ['sh']);
    assert.equal(busybox?.layers[0].digest, busybox?.config.rootfs.diff_ids[0], 'an uncompressed layer is its own diff ID');
    const snapshots = new SnapshotStore(join(store.root, 'unpacked'));
    const [lower] = await snapshots.unpackImage(busybox!, (digest) => store.content.path(digest));
    assert.ok(readdirSync(join(lower, 'bin')).includes('busybox'));
    assert.deepEqual(readdirSync(join(store.root, 'ingest')), [], 'the extraction is cleaned up');
  });

  test('an oci archive imports by its ref.name; removal drops only blobs nothing else uses', async () => {
    const store = newStore();
    await importArchive(store, join(dir, 'docker.tar'));
    const [oci] = await importArchive(store, join(dir, 'oci.tar'));
    assert.equal(oci.name, 'localhost/busybox:zstd');
    assert.equal(oci.layers[0].mediaType, 'application/vnd.oci.image.layer.v1.tar+zstd');
    const blobs = () => store.content.digests().length;
    assert.equal(blobs(), 3, 'one config (same diff IDs), two layers');
    assert.deepEqual(store.remove('localhost/busybox:zstd'), ['localhost/busybox:zstd']);
    assert.equal(blobs(), 2);
    assert.deepEqual(store.remove('busybox'), ['docker.io/library/busybox:latest']);
    assert.equal(blobs(), 2, 'still used by example.com/tools/busybox:1');
    const id = store.list()[0].id;
    assert.deepEqual(store.remove(id.slice(7, 19)), ['example.com/tools/busybox:1'], 'by image ID prefix');
    assert.equal(blobs(), 0);
    assert.throws(() => store.remove('busybox'), ImageNotFoundError);
  });

  test('broken archives are refused with the reason', async () => {
    const store = newStore();
    const broken = (name: string, entries: Parameters<typeof packTar>[0]) => {
      writeFileSync(join(dir, name), packTar(entries));
      return join(dir, name);
    };
    await assert.rejects(importArchive(store, join(dir, 'absent.tar')), /absent.tar: no such file/);
    await assert.rejects(importArchive(store, broken('empty.tar', [{ name: 'x', body: Buffer.from('x') }])), /oci-layout is missing from the archive/);
    await assert.rejects(importArchive(store, broken('nolayer.tar', [{ name: 'manifest.json', body: Buffer.from('[{"Config":"c.json","RepoTags":["a:1"],"Layers":["../../etc/passwd"]}]') }, { name: 'c.json', body: Buffer.from('{}') }])),
      (e: Error) => e instanceof ImageArchiveError && /etc\/passwd is missing/.test(e.message));
    await assert.rejects(importArchive(store, broken('untagged.tar', [{ name: 'manifest.json', body: Buffer.from('[{"Config":"c.json","RepoTags":null,"Layers":[]}]') }])), /has no RepoTags/);
    assert.deepEqual(store.list(), []);
  });
});
