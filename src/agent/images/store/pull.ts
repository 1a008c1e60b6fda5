// The node's image store: pull = resolve the reference to a linux/amd64 manifest, fetch the
// config and every layer not already present (in parallel, each verified), then record the name.
//
//   reference ─▶ RegistryClient.resolve ─▶ manifest ─▶ config + layers ─▶ ContentStore ─▶ ImageIndex
import type { ImageConfig } from '../oci/types.ts';
import type { RegistryClient } from '../registry/client.ts';
import { RegistryError } from '../registry/errors.ts';
import { formatReference, parseReference } from '../registry/reference.ts';
import { ContentStore } from './content.ts';
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
  readonly content: ContentStore;
  private readonly index: ImageIndex;
  private readonly client: RegistryClient;
  private readonly now: () => number;

  constructor(options: ImageStoreOptions) {
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
    let fetchedBytes = 0;
    const fetch = async (descriptor: (typeof manifest.layers)[number]): Promise<void> => {
      if (this.content.has(descriptor.digest)) return;
      await this.content.ingest(descriptor, this.client.blob(image, descriptor));
      fetchedBytes += descriptor.size;
    };
    // Settle every fetch before failing, so that no ingest is still writing when pull returns.
    const fetched = await Promise.allSettled([manifest.config, ...manifest.layers].map(fetch));
    const failed = fetched.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    const config = JSON.parse(this.content.read(manifest.config.digest).toString()) as ImageConfig;
    if (config.rootfs?.diff_ids?.length !== manifest.layers.length) {
      throw new RegistryError('Unsupported', `${reference}: config lists ${config.rootfs?.diff_ids?.length} layers, manifest ${manifest.layers.length}`);
    }
    const pulled: Image = {
      name: formatReference(image),
      digest: manifestDigest,
      id: manifest.config.digest,
      config,
      layers: manifest.layers,
      size: manifest.config.size + manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    };
    this.index.put(pulled);
    return { image: pulled, durationMs: this.now() - started, fetchedBytes };
  }
}
