import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packTar } from '../../src/agent/images/tar/writer.ts';
import { readTar } from '../../src/agent/images/tar/reader.ts';
import type { TarHeader } from '../../src/agent/images/tar/entry.ts';

async function* chunks(data: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(data: Buffer, chunkSize = 7): Promise<{ header: TarHeader; body: string }[]> {
  const out = [];
  for await (const entry of readTar(chunks(data, chunkSize))) {
    const parts: Buffer[] = [];
    for await (const chunk of entry.body()) parts.push(chunk);
    out.push({ header: entry.header, body: Buffer.concat(parts).toString() });
  }
  return out;
}

const longName = `dir/${'n'.repeat(150)}`;
const archive = packTar([
  { name: 'bin/', type: 'directory' },
  { name: 'bin/busybox', body: Buffer.from('#!binary'), mode: 0o755, uid: 1, gid: 2, mtime: 1700000000 },
  { name: 'bin/sh', type: 'symlink', linkname: 'busybox' },
  { name: 'bin/hard', type: 'hardlink', linkname: 'bin/busybox' },
  { name: longName, body: Buffer.from('x'.repeat(1000)) },
]);

describe('tar', () => {
  test('reads back what it writes, across chunk boundaries', async () => {
    for (const size of [1, 7, 512, 100000]) {
      const entries = await readAll(archive, size);
      assert.deepEqual(entries.map((e) => [e.header.name, e.header.type, e.header.linkname]), [
        ['bin/', 'directory', ''],
        ['bin/busybox', 'file', ''],
        ['bin/sh', 'symlink', 'busybox'],
        ['bin/hard', 'hardlink', 'bin/busybox'],
        [longName, 'file', ''],
      ]);
      assert.equal(entries[1].body, '#!binary');
      assert.deepEqual([entries[1].header.mode, entries[1].header.uid, entries[1].header.gid, entries[1].header.mtime], [0o755, 1, 2, 1700000000]);
      assert.equal(entries[4].body, 'x'.repeat(1000));
    }
  });

  test('skips bodies that are not read', async () => {
    const names = [];
    for await (const entry of readTar(chunks(archive, 33))) names.push(entry.header.name);
    assert.equal(names.length, 5);
  });

  test('GNU tar can list and extract what the writer produces', () => {
    const dir = mkdtempSync(join(tmpdir(), 'peapod-tar-'));
    try {
      writeFileSync(join(dir, 'a.tar'), archive);
      const list = spawnSync('tar', ['-tf', join(dir, 'a.tar')], { encoding: 'utf8' });
      assert.equal(list.status, 0, list.stderr);
      assert.deepEqual(list.stdout.trim().split('\n'), ['bin/', 'bin/busybox', 'bin/sh', 'bin/hard', longName]);
      const x = spawnSync('tar', ['-xf', join(dir, 'a.tar'), '-C', dir], { encoding: 'utf8' });
      assert.equal(x.status, 0, x.stderr);
      assert.equal(readlinkSync(join(dir, 'bin/sh')), 'busybox');
      assert.equal(readFileSync(join(dir, longName), 'utf8'), 'x'.repeat(1000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('reads archives made by GNU tar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'peapod-tar-'));
    try {
      writeFileSync(join(dir, 'f'), 'hello');
      const made = spawnSync('tar', ['--format=pax', '-cf', '-', '-C', dir, 'f']);
      assert.equal(made.status, 0);
      const entries = await readAll(made.stdout);
      assert.deepEqual(entries.map((e) => [e.header.name, e.body]), [['f', 'hello']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('rejects a corrupt header and a truncated archive', async () => {
    const corrupt = Buffer.from(archive);
    corrupt[3] ^= 0xff;
    await assert.rejects(readAll(corrupt), /checksum mismatch/);
    await assert.rejects(readAll(archive.subarray(0, 700)), /unexpected end of archive/);
  });
});
