// Image archives for import tests, built from the busybox OCI layout with the project's tar writer:
// what `docker save` writes (manifest.json, config, uncompressed layer tars, a symlinked layer)
// and what an oci-archive holds (the layout itself, with a ref.name annotation).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readLayoutBlob, readLayoutIndex } from '../../src/agent/images/oci/layout.ts';
import type { ImageManifest } from '../../src/agent/images/oci/types.ts';
import { packTar, type TarInput } from '../../src/agent/images/tar/writer.ts';

export function dockerArchive(layout: string, file: string, repoTags: string[]): void {
  const manifest = JSON.parse(readLayoutBlob(layout, readLayoutIndex(layout).manifests[0].digest).toString()) as ImageManifest;
  const config = readLayoutBlob(layout, manifest.config.digest);
  const layer = gunzipSync(readLayoutBlob(layout, manifest.layers[0].digest));
  const configName = `${manifest.config.digest.slice(7)}.json`;
  const entries: TarInput[] = [
    { name: 'aaa/', type: 'directory' },
    { name: 'aaa/layer.tar', body: layer },
    { name: 'bbb/', type: 'directory' },
    { name: 'bbb/layer.tar', type: 'symlink', linkname: '../aaa/layer.tar' },
    { name: configName, body: config },
    { name: 'manifest.json', body: Buffer.from(JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: ['bbb/layer.tar'] }])) },
  ];
  writeFileSync(file, packTar(entries));
}

export function ociArchive(layout: string, file: string, refName: string): void {
  const index = readLayoutIndex(layout);
  index.manifests[0].annotations = { 'org.opencontainers.image.ref.name': refName };
  const blobs = readdirSync(join(layout, 'blobs', 'sha256'));
  const entries: TarInput[] = [
    { name: 'oci-layout', body: readFileSync(join(layout, 'oci-layout')) },
    { name: 'index.json', body: Buffer.from(JSON.stringify(index)) },
    { name: 'blobs/', type: 'directory' },
    { name: 'blobs/sha256/', type: 'directory' },
    ...blobs.map((hex): TarInput => ({ name: `blobs/sha256/${hex}`, body: readFileSync(join(layout, 'blobs', 'sha256', hex)) })),
  ];
  writeFileSync(file, packTar(entries));
}
