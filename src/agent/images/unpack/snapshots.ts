// Per-layer snapshots: each layer is unpacked once, into snapshots/HEX named by its chain ID
// (OCI: the diff ID of the bottom layer; above it, sha256 of "PARENT-CHAIN-ID DIFF-ID"), and
// shared read-only by every container whose image has that stack of layers. A layer is applied
// with the snapshots below it as parents (see scoped-path.ts), hence chain IDs, not diff IDs.
// Unpacking goes to a temp directory renamed into place only when the whole tar applied and its
// uncompressed bytes matched the diff ID; concurrent requests for one snapshot share the work.
//
//   blob (gzip|zstd|tar) ─▶ decompress ─▶ hash ─▶ readTar ─▶ applyLayer(tmp, parents) ─▶ rename ─▶ snapshots/HEX
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import { layerCompression, parseDigest, sha256Digest } from '../oci/types.ts';
import type { Image } from '../store/images.ts';
import { readTar } from '../tar/reader.ts';
import { applyLayer } from './apply.ts';

export interface LayerToUnpack {
  blobPath: string;
  mediaType: string;
  diffId: string;
}

export class LayerDigestError extends Error {
  constructor(diffId: string, actual: string) {
    super(`layer content hashes to ${actual}, not its diff ID ${diffId}`);
    this.name = 'LayerDigestError';
  }
}

export class SnapshotStore {
  private readonly root: string;
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(root: string) {
    this.root = root;
    mkdirSync(join(root, 'snapshots'), { recursive: true });
    mkdirSync(join(root, 'unpacking'), { recursive: true });
  }

  path(chainId: string): string {
    return join(this.root, 'snapshots', parseDigest(chainId).hex);
  }

  has(chainId: string): boolean {
    return existsSync(this.path(chainId));
  }

  // The snapshots of a stack of layers, bottom first (an overlay's lowerdirs), unpacking those
  // that no container used before.
  async unpack(layers: LayerToUnpack[]): Promise<string[]> {
    const snapshots: string[] = [];
    let chainId: string | undefined;
    for (const layer of layers) {
      chainId = chainId === undefined ? layer.diffId : sha256Digest(`${chainId} ${layer.diffId}`);
      snapshots.push(await this.unpackShared(layer, chainId, [...snapshots]));
    }
    return snapshots;
  }

  unpackImage(image: Pick<Image, 'layers' | 'config'>, blobPath: (digest: string) => string): Promise<string[]> {
    return this.unpack(image.layers.map((layer, i) => ({ blobPath: blobPath(layer.digest), mediaType: layer.mediaType, diffId: image.config.rootfs.diff_ids[i] })));
  }

  private unpackShared(layer: LayerToUnpack, chainId: string, parents: string[]): Promise<string> {
    const target = this.path(chainId);
    if (existsSync(target)) return Promise.resolve(target);
    let pending = this.inFlight.get(chainId);
    if (pending === undefined) {
      pending = this.unpackOnce(layer, target, parents).finally(() => this.inFlight.delete(chainId));
      this.inFlight.set(chainId, pending);
    }
    return pending;
  }

  private async unpackOnce(layer: LayerToUnpack, target: string, parents: string[]): Promise<string> {
    const temp = join(this.root, 'unpacking', `${parseDigest(layer.diffId).hex}.${randomBytes(6).toString('hex')}`);
    mkdirSync(temp, { mode: 0o755 });
    const stream = decompressed(layer);
    try {
      const hash = createHash('sha256');
      const chunks = hashing(stream, hash);
      await applyLayer(temp, readTar(chunks), parents);
      for await (const _ of chunks); // the tar's end blocks and padding count towards the diff ID
      const actual = `sha256:${hash.digest('hex')}`;
      if (actual !== layer.diffId) throw new LayerDigestError(layer.diffId, actual);
      await rename(temp, target);
      return target;
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    } finally {
      stream.destroy();
    }
  }
}

function decompressed(layer: LayerToUnpack): Readable {
  const file = createReadStream(layer.blobPath);
  const compression = layerCompression(layer.mediaType);
  if (compression === 'none') return file;
  const inflate = compression === 'gzip' ? createGunzip() : createZstdDecompress();
  file.on('error', (error) => inflate.destroy(error));
  return file.pipe(inflate);
}

async function* hashing(source: AsyncIterable<Buffer>, hash: ReturnType<typeof createHash>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    hash.update(chunk);
    yield chunk;
  }
}
