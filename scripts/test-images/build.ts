// Builds the test images as OCI image layouts from Debian's busybox-static, so that tests pull
// real images from a real registry without reaching the internet.
//   node scripts/test-images/build.ts OUT_DIR   →   OUT_DIR/busybox (an OCI image layout)
// Variants: a second, small layer of files over busybox (images that differ by that layer alone,
// as two builds of an application on one base do), or a changed image config (busybox with
// STOPSIGNAL SIGQUIT for the termination tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, zstdCompressSync } from 'node:zlib';
import { packTar, type TarInput } from '../../src/agent/images/tar/writer.ts';
import { writeImageLayout } from '../../src/agent/images/oci/layout.ts';
import { mediaTypes, sha256Digest, type Descriptor, type ImageConfig, type LayerCompression } from '../../src/agent/images/oci/types.ts';

export const busyboxApplets = [
  'sh', 'ls', 'cat', 'echo', 'sleep', 'httpd', 'wget', 'true', 'false', 'env', 'id', 'ps', 'mkdir',
  'rm', 'touch', 'test', 'hostname', 'ip', 'nc', 'nslookup', 'date', 'grep', 'sed', 'head', 'tail',
  'wc', 'kill', 'uname', 'whoami', 'printenv', 'tee', 'stat', 'cp', 'mv', 'ln', 'chmod', 'df', 'mount',
  'dd', 'seq', 'timeout', 'sha256sum', 'nproc', 'unshare', 'printf', 'tr', 'sort', 'awk', 'find', 'base64',
  'tar', 'stty', 'cmp',
];

// A fixed timestamp keeps every build byte-identical, so digests are stable between runs.
const mtime = 1700000000;

export function busyboxLayer(busyboxPath = '/usr/bin/busybox'): Buffer {
  const entries: TarInput[] = [
    { name: 'bin/', type: 'directory' },
    { name: 'bin/busybox', body: readFileSync(busyboxPath), mode: 0o755 },
    ...busyboxApplets.map((applet): TarInput => ({ name: `bin/${applet}`, type: 'symlink', linkname: 'busybox' })),
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', body: Buffer.from('root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n') },
    { name: 'etc/group', body: Buffer.from('root:x:0:\nnogroup:x:65534:\n') },
    { name: 'root/', type: 'directory', mode: 0o700 },
    { name: 'tmp/', type: 'directory', mode: 0o1777 },
  ];
  return packTar(entries.map((entry) => ({ mtime, ...entry })));
}

export function busyboxConfig(layerTars: Buffer[], config: ImageConfigOverrides = {}): ImageConfig {
  return {
    architecture: 'amd64',
    os: 'linux',
    config: {
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Entrypoint: null,
      Cmd: ['sh'],
      WorkingDir: '/',
      ...config,
    },
    rootfs: { type: 'layers', diff_ids: layerTars.map((tar) => sha256Digest(tar)) },
    history: [{ created: new Date(mtime * 1000).toISOString(), created_by: 'scripts/test-images/build.ts' }],
  };
}

/** What a variant changes: files of a second layer (path → content), image config fields. */
export interface ImageVariant {
  files?: Record<string, string>;
  config?: ImageConfigOverrides;
}

export type ImageConfigOverrides = Partial<NonNullable<ImageConfig['config']>>;

// Writes the busybox image as an OCI layout in dir; returns the manifest descriptor.
export function buildBusyboxImage(dir: string, compression: LayerCompression = 'gzip', variant: ImageVariant = {}): Descriptor {
  const tars = [busyboxLayer()];
  if (variant.files !== undefined) tars.push(packTar(Object.entries(variant.files).map(([name, body]) => ({ name, body: Buffer.from(body), mtime }))));
  const layers = tars.map((tar) => ({
    gzip: { mediaType: mediaTypes.ociLayerGzip, data: gzipSync(tar) },
    zstd: { mediaType: mediaTypes.ociLayerZstd, data: zstdCompressSync(tar) },
    none: { mediaType: mediaTypes.ociLayer, data: tar },
  }[compression]));
  return writeImageLayout(dir, { config: busyboxConfig(tars, variant.config), layers });
}

if (import.meta.main) {
  const out = process.argv[2];
  if (out === undefined) {
    console.error('usage: node scripts/test-images/build.ts OUT_DIR');
    process.exit(2);
  }
  const descriptor = buildBusyboxImage(join(out, 'busybox'));
  console.log(`${join(out, 'busybox')} ${descriptor.digest}`);
}
