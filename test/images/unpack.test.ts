import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { busyboxLayer } from '../../scripts/test-images/build.ts';
import { mediaTypes, sha256Digest } from '../../src/agent/images/oci/types.ts';
import { packTar, type TarInput } from '../../src/agent/images/tar/writer.ts';
import { LayerDigestError, SnapshotStore } from '../../src/agent/images/unpack/snapshots.ts';

describe('layer unpack into snapshots', () => {
  let dir: string;
  let outside: string;
  let snapshots: SnapshotStore;
  let blobs = 0;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-unpack-'));
    outside = join(dir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'secret');
    snapshots = new SnapshotStore(join(dir, 'store'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function layer(tar: Buffer, compression: 'gzip' | 'zstd' | 'none' = 'gzip', diffId = sha256Digest(tar)) {
    const blobPath = join(dir, `blob-${blobs++}`);
    const [mediaType, data] = {
      gzip: [mediaTypes.dockerLayerGzip, gzipSync(tar)],
      zstd: [mediaTypes.ociLayerZstd, zstdCompressSync(tar)],
      none: [mediaTypes.ociLayer, tar],
    }[compression] as [string, Buffer];
    writeFileSync(blobPath, data);
    return { blobPath, mediaType, diffId };
  }

  async function unpack1(l: { blobPath: string; mediaType: string; diffId: string }): Promise<string> {
    return (await snapshots.unpack([l]))[0];
  }

  function assertOutsideUntouched(): void {
    assert.deepEqual(readdirSync(dir).filter((name) => !name.startsWith('blob-')).sort(), ['outside', 'store']);
    assert.deepEqual(readdirSync(outside), ['secret']);
    assert.equal(readFileSync(join(outside, 'secret'), 'utf8'), 'secret');
    assert.equal(statSync(join(outside, 'secret')).nlink, 1);
  }

  test('unpacks the busybox layer with modes, symlinks and owners', async () => {
    const root = await unpack1(layer(busyboxLayer()));
    assert.equal(statSync(join(root, 'bin/busybox')).mode & 0o7777, 0o755);
    assert.equal(readlinkSync(join(root, 'bin/sh')), 'busybox');
    assert.match(readFileSync(join(root, 'etc/passwd'), 'utf8'), /^nobody:x:65534/m);
    assert.equal(statSync(join(root, 'tmp')).mode & 0o7777, 0o1777);
    assert.equal(statSync(join(root, 'bin/busybox')).mtimeMs, 1700000000 * 1000);
  });

  test('unpacks a layer once, however many ask at the same time', async () => {
    const tar = packTar([{ name: 'once', body: Buffer.from('1'), uid: 1234, gid: 5678 }]);
    const [a, b] = await Promise.all([unpack1(layer(tar)), unpack1(layer(tar))]);
    assert.equal(a, b);
    assert.equal(await unpack1(layer(tar, 'none')), a);
    assert.equal(statSync(join(a, 'once')).uid, 1234);
    assert.equal(statSync(join(a, 'once')).gid, 5678);
  });

  test('reads zstd and uncompressed layers', async () => {
    for (const compression of ['zstd', 'none'] as const) {
      const root = await unpack1(layer(packTar([{ name: `f-${compression}`, body: Buffer.from(compression) }]), compression));
      assert.equal(readFileSync(join(root, `f-${compression}`), 'utf8'), compression);
    }
  });

  test('a layer whose content does not match its diff ID leaves no snapshot', async () => {
    const tar = packTar([{ name: 'x', body: Buffer.from('x') }]);
    const wrong = sha256Digest('something else');
    await assert.rejects(unpack1(layer(tar, 'gzip', wrong)), LayerDigestError);
    assert.equal(snapshots.has(wrong), false);
    assert.deepEqual(readdirSync(join(dir, 'store', 'unpacking')), []);
  });

  test('names with .. and absolute names stay inside the snapshot', async () => {
    const root = await unpack1(layer(packTar([
      { name: '../x', body: Buffer.from('dotdot') },
      { name: '/abs', body: Buffer.from('abs') },
      { name: 'a/../../../../y', body: Buffer.from('deep') },
      { name: '../outside/secret', body: Buffer.from('overwritten') },
    ])));
    assert.equal(readFileSync(join(root, 'x'), 'utf8'), 'dotdot');
    assert.equal(readFileSync(join(root, 'abs'), 'utf8'), 'abs');
    assert.equal(readFileSync(join(root, 'y'), 'utf8'), 'deep');
    assert.equal(readFileSync(join(root, 'outside/secret'), 'utf8'), 'overwritten');
    assertOutsideUntouched();
  });

  test('writes through symlinks that point out land inside', async () => {
    const root = await unpack1(layer(packTar([
      { name: 'up', type: 'symlink', linkname: '../../../..' },
      { name: 'up/pwned-relative', body: Buffer.from('1') },
      { name: 'abs', type: 'symlink', linkname: outside },
      { name: 'abs/pwned-absolute', body: Buffer.from('2') },
      { name: 'abs/secret', body: Buffer.from('3') },
      { name: 'chain1', type: 'symlink', linkname: 'chain2/..' },
      { name: 'chain2', type: 'symlink', linkname: `${outside}/../..` },
      { name: 'chain1/pwned-chain', body: Buffer.from('4') },
      { name: 'replaced', type: 'symlink', linkname: join(outside, 'secret') },
      { name: 'replaced', body: Buffer.from('5') },
    ])));
    assert.equal(readFileSync(join(root, 'pwned-relative'), 'utf8'), '1');
    assert.equal(readFileSync(join(root, outside, 'pwned-absolute'), 'utf8'), '2');
    assert.equal(readFileSync(join(root, outside, 'secret'), 'utf8'), '3');
    assert.equal(readlinkSync(join(root, 'abs')), outside, 'the symlink itself is kept as the layer has it');
    assert.equal(readFileSync(join(root, 'replaced'), 'utf8'), '5');
    assert.ok(lstatSync(join(root, 'replaced')).isFile());
    assertOutsideUntouched();
  });

  test('hardlinks may not reach outside the layer', async () => {
    const hostile = [
      [{ name: 'h', type: 'hardlink', linkname: join(outside, 'secret') }],
      [{ name: 'h', type: 'hardlink', linkname: '../outside/secret' }],
      [{ name: 'o', type: 'symlink', linkname: outside }, { name: 'h', type: 'hardlink', linkname: 'o/secret' }],
    ] as TarInput[][];
    for (const entries of hostile) {
      await assert.rejects(unpack1(layer(packTar(entries))), /not in this layer/);
    }
    const root = await unpack1(layer(packTar([{ name: 'f', body: Buffer.from('f') }, { name: 'dir/h', type: 'hardlink', linkname: '/f' }])));
    assert.equal(statSync(join(root, 'dir/h')).ino, statSync(join(root, 'f')).ino);
    assertOutsideUntouched();
  });

  test('whiteouts become overlayfs whiteouts; device nodes are made', async () => {
    const root = await unpack1(layer(packTar([
      { name: 'etc/.wh.gone', body: Buffer.alloc(0) },
      { name: 'var/.wh..wh..opq', body: Buffer.alloc(0) },
      { name: 'var/new', body: Buffer.from('new') },
      { name: 'dev/null', type: 'char', mode: 0o666, devmajor: 1, devminor: 3 },
    ])));
    const whiteout = lstatSync(join(root, 'etc/gone'));
    assert.ok(whiteout.isCharacterDevice());
    assert.equal(whiteout.rdev, 0);
    const device = lstatSync(join(root, 'dev/null'));
    assert.ok(device.isCharacterDevice());
    assert.equal(device.rdev, (1 << 8) | 3);
    assert.equal(device.mode & 0o777, 0o666);
    await assert.rejects(unpack1(layer(packTar([{ name: '.wh...', body: Buffer.alloc(0) }]))), /whiteout of no entry/);
    assertOutsideUntouched();
  });

  test('a layer follows the symlinked directories of the layers below it, still inside', async () => {
    const base = layer(packTar([
      { name: 'usr/lib/a', body: Buffer.from('a') },
      { name: 'lib', type: 'symlink', linkname: 'usr/lib' },
      { name: 'out', type: 'symlink', linkname: '../../../..' },
      { name: 'gone', type: 'symlink', linkname: 'usr/lib' },
    ]));
    const middle = layer(packTar([{ name: '.wh.gone', body: Buffer.alloc(0) }]));
    const top = layer(packTar([
      { name: 'lib/b', body: Buffer.from('b') },
      { name: 'out/c', body: Buffer.from('c') },
      { name: 'gone/d', body: Buffer.from('d') },
    ]));
    const [lower, , upper] = await snapshots.unpack([base, middle, top]);
    assert.equal(readFileSync(join(upper, 'usr/lib/b'), 'utf8'), 'b');
    assert.equal(existsSync(join(upper, 'lib')), false, 'no directory hides the lower symlink');
    assert.equal(readFileSync(join(upper, 'c'), 'utf8'), 'c');
    assert.equal(readFileSync(join(upper, 'gone/d'), 'utf8'), 'd', 'a whited-out symlink is not followed');
    assert.notEqual(upper, (await snapshots.unpack([top]))[0], 'a layer on other parents is another snapshot');
    assert.equal((await snapshots.unpack([base]))[0], lower, 'a shared base is unpacked once');
    assertOutsideUntouched();
  });
});
