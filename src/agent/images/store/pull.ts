// The node's image store: pull = resolve the reference to a linux/amd64 manifest, fetch the
// config and every layer not already present (in parallel, each verified), then record the name.
//
//   reference ─▶ RegistryClient.resolve ─▶ manifest ─▶ config + layers ─▶ ContentStore ─▶ ImageIndex
//
// Removing a name drops the blobs no other image refers to (gc.ts); blobs of a pull under way are
// leased until the pull has named its image, so a concurrent removal cannot take them.
import type { ImageConfig, ImageManifest } from '../oci/types.ts';
import type { RegistryClient } from '../registry/client.ts';
import { RegistryError } from '../registry/errors.ts';
import { formatReference, parseReference } from '../registry/reference.ts';
import { ContentStore } from './content.ts';
import { collectGarbage, Leases } from './gc.ts';
import { ImageIndex, type Image } from './images.ts';

export interface PullResult {
  image: Image;
  durationMs: number; // for the kubelet's "Successfully pulled image ... in 1.2s" event
  fetchedBytes: number; // what came over the network; 0 when every blob was present
}

export interface ImageStoreOptions {
  root: string;
  client: RegistryClient;
  now?: () => number;
}

export class ImageStore {
  readonly root: string;
  readonly content: ContentStore;
  private readonly index: ImageIndex;
  private readonly client: RegistryClient;
  private readonly now: () => number;
  private readonly leases = new Leases();

  constructor(options: ImageStoreOptions) {
    this.root = options.root;
    this.content = new ContentStore(options.root);
    this.index = new ImageIndex(options.root);
    this.client = options.client;
    this.now = options.now ?? Date.now;
  }

  // The image a reference names locally, if it was pulled.
  get(reference: string): Image | undefined {
    const record = this.index.get(formatReference(parseReference(reference)));
    if (record === undefined) return undefined;
    return { ...record, config: JSON.parse(this.content.read(record.id).toString()) as ImageConfig };
  }

  list(): Image[] {
    return this.index.list().map((record) => ({ ...record, config: JSON.parse(this.content.read(record.id).toString()) as ImageConfig }));
  }

  async pull(reference: string): Promise<PullResult> {
    const started = this.now();
    const image = parseReference(reference);
    const { manifest, manifestDigest } = await this.client.resolve(image);
    const blobs = [manifest.config, ...manifest.layers];
    const release = this.leases.acquire(blobs.map((blob) => blob.digest));
    try {
      let fetchedBytes = 0;
      const fetch = async (descriptor: (typeof blobs)[number]): Promise<void> => {
        if (this.content.has(descriptor.digest)) return;
        await this.content.ingest(descriptor, this.client.blob(image, descriptor));
        fetchedBytes += descriptor.size;
      };
      // Settle every fetch before failing, so that no ingest is still writing when pull returns.
      const fetched = await Promise.allSettled(blobs.map(fetch));
      const failed = fetched.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
      const pulled = this.tag(formatReference(image), manifestDigest, manifest);
      return { image: pulled, durationMs: this.now() - started, fetchedBytes };
    } finally {
      release();
    }
  }

  // Names an image whose config and layers are in the content store (a pull, an import).
  tag(name: string, manifestDigest: string, manifest: ImageManifest): Image {
    const config = JSON.parse(this.content.read(manifest.config.digest).toString()) as ImageConfig;
    if (config.rootfs?.diff_ids?.length !== manifest.layers.length) {
      throw new RegistryError('Unsupported', `${name}: config lists ${config.rootfs?.diff_ids?.length} layers, manifest ${manifest.layers.length}`);
    }
    const image: Image = {
      name,
      digest: manifestDigest,
      id: manifest.config.digest,
      config,
      layers: manifest.layers,
      size: manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    };
    this.index.put(image);
    return image;
  }

  // Leases blobs that are being written outside a pull (an import) until the returned function runs.
  lease(digests: string[]): () => void {
    return this.leases.acquire(digests);
  }

  /**
   * Removes an image by name (as `parseReference` normalises it) or by image ID (a prefix of at
   * least 4 hex digits naming one image: every name of it goes), then the blobs nothing else uses.
   * Snapshots are kept (see README). Returns the names removed; throws when nothing matches.
   */
  remove(reference: string): string[] {
    const names = this.namesFor(reference);
    for (const name of names) this.index.remove(name);
    collectGarbage(this.content, this.index.list(), this.leases);
    return names;
  }

  private namesFor(reference: string): string[] {
    const byName = this.index.get(tryNormalise(reference) ?? '');
    if (byName !== undefined) return [byName.name];
    const prefix = /^(?:sha256:)?([a-f0-9]{4,64})$/.exec(reference)?.[1];
    const matches = prefix === undefined ? [] : this.index.list().filter((image) => image.id.slice('sha256:'.length).startsWith(prefix));
    const ids = new Set(matches.map((image) => image.id));
    if (ids.size > 1) throw new ImageNotFoundError(reference, `the ID prefix names ${ids.size} images`);
    if (matches.length === 0) throw new ImageNotFoundError(reference, 'no such image');
    return matches.map((image) => image.name);
  }
}

export class ImageNotFoundError extends Error {
  constructor(reference: string, why: string) {
    super(`image ${JSON.stringify(reference)}: ${why}`);
    this.name = 'ImageNotFoundError';
  }
}

function tryNormalise(reference: string): string | undefined {
  try {
    return formatReference(parseReference(reference));
  } catch {
    return undefined;
  }
}
