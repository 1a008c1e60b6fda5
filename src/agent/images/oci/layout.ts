// OCI image layouts on disk (oci-layout, index.json, blobs/sha256/HEX): what the test-image
// script writes and what a push uploads.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaTypes, parseDigest, sha256Digest, type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest } from './types.ts';

export interface LayoutImage {
  config: ImageConfig;
  layers: { mediaType: string; data: Buffer }[];
}

export function writeImageLayout(dir: string, image: LayoutImage): Descriptor {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (mediaType: string, data: Buffer): Descriptor => {
    const digest = sha256Digest(data);
    writeFileSync(join(dir, 'blobs', 'sha256', parseDigest(digest).hex), data);
    return { mediaType, digest, size: data.length };
  };
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: mediaTypes.ociManifest,
    config: put(mediaTypes.ociConfig, Buffer.from(JSON.stringify(image.config))),
    layers: image.layers.map((layer) => put(layer.mediaType, layer.data)),
  };
  const descriptor = {
    ...put(mediaTypes.ociManifest, Buffer.from(JSON.stringify(manifest))),
    platform: { architecture: image.config.architecture, os: image.config.os },
  };
  const index: ImageIndex = { schemaVersion: 2, mediaType: mediaTypes.ociIndex, manifests: [descriptor] };
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  return descriptor;
}

export function readLayoutIndex(dir: string): ImageIndex {
  return JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as ImageIndex;
}

export function readLayoutBlob(dir: string, digest: string): Buffer {
  return readFileSync(join(dir, 'blobs', 'sha256', parseDigest(digest).hex));
}
