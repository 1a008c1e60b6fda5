import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { humanSize, imageTable } from '../../src/cli/images.ts';
import { dockerArchive, ociArchive } from '../images/archives.ts';
import { push, startRegistry, type TestRegistry } from '../images/registry.ts';

const main = join(import.meta.dirname, '../../src/cli/main.ts');

describe('peapod images', () => {
  let dir: string;
  let registry: TestRegistry;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-cli-images-'));
    buildBusyboxImage(join(dir, 'busybox'));
    dockerArchive(join(dir, 'busybox'), join(dir, 'docker.tar'), ['busybox:latest']);
    ociArchive(join(dir, 'busybox'), join(dir, 'oci.tar'), 'registry.k8s.io/pause:3.9');
    registry = await startRegistry();
    await push(registry, join(dir, 'busybox'), 'library/busybox:1.36');
    writeFileSync(join(dir, 'registries.yaml'), `mirrors: {docker.io: {endpoint: ["http://${registry.host}"]}}\n`);
  });
  after(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const peapod = (...args: string[]) => {
    const result = spawnSync(process.execPath, [main, 'images', ...args, '--data-dir', join(dir, 'data')], { encoding: 'utf8' });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  };

  test('import, ls, pull, rm', () => {
    assert.deepEqual(peapod('import', join(dir, 'docker.tar')), { code: 0, stdout: 'Loaded image: docker.io/library/busybox:latest\n', stderr: '' });
    assert.equal(peapod('import', join(dir, 'oci.tar')).stdout, 'Loaded image: registry.k8s.io/pause:3.9\n');
    const pulled = peapod('pull', 'busybox:1.36', '--registries', join(dir, 'registries.yaml'));
    assert.equal(pulled.code, 0, pulled.stderr);
    assert.match(pulled.stdout, /^Image is up to date for sha256:[a-f0-9]{64}\n$/);
    const lines = peapod('ls').stdout.trimEnd().split('\n');
    assert.match(lines[0], /^IMAGE {23}TAG {17}IMAGE ID {12}SIZE$/);
    assert.deepEqual(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 2)), [
      ['docker.io/library/busybox', '1.36'],
      ['docker.io/library/busybox', 'latest'],
      ['registry.k8s.io/pause', '3.9'],
    ]);
    assert.match(lines[1], /^docker\.io\/library\/busybox {3}1\.36 {16}[a-f0-9]{13} {7}\d+(\.\d+)?[kM]B$/);
    assert.deepEqual(peapod('rm', 'registry.k8s.io/pause:3.9'), { code: 0, stdout: 'Deleted: registry.k8s.io/pause:3.9\n', stderr: '' });
    assert.equal(peapod('ls').stdout.trimEnd().split('\n').length, 3);
  });

  test('errors are clear and exit 1', () => {
    const missing = peapod('rm', 'nothing:1');
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'peapod images: image "nothing:1": no such image\n');
    const noFile = peapod('import', join(dir, 'nope.tar'));
    assert.equal(noFile.code, 1);
    assert.match(noFile.stderr, /nope\.tar: no such file/);
    const badConfig = peapod('pull', 'busybox', '--registries', join(dir, 'absent.yaml'));
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /absent\.yaml: ENOENT/);
    assert.equal(peapod('frob').code, 1);
    assert.match(peapod('frob').stderr, /unknown command "frob"\nusage: peapod images/);
    assert.equal(peapod('ls', 'extra').code, 1);
  });

  test('table and sizes as crictl prints them', () => {
    assert.deepEqual([742, 1000, 4_460_123, 129_338_587].map(humanSize), ['742B', '1kB', '4.46MB', '129MB']);
    assert.equal(imageTable([]), 'IMAGE               TAG                 IMAGE ID            SIZE\n');
  });
});
