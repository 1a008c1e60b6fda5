// The node's images behind the pod worker's seam: the image manager decides and pulls (events,
// back-off, policies), layers are unpacked once into shared snapshots, and each container
// attempt gets an overlay rootfs of its own.
import { existsSync } from 'node:fs';
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { ImageManager, ImagePullError } from './images/manager.ts';
import { loadRegistries } from './images/registry/config.ts';
import { RegistryClient } from './images/registry/client.ts';
import { ImageStore } from './images/store/pull.ts';
import { mountRootfs, unmountRootfs } from './images/unpack/rootfs.ts';
import { SnapshotStore } from './images/unpack/snapshots.ts';
import { WaitingError, type ImageService, type PulledImage, type Recorder } from './podworker/deps.ts';

export interface AgentImagesOptions {
  /** DATA/agent/images, where `peapod images` looks too. */
  root: string;
  registriesFile?: string;
  /** false: registries with mirrors are reached only through them. */
  defaultEndpoint?: boolean;
  recorder: Recorder;
}

export class AgentImages implements ImageService {
  private readonly store: ImageStore;
  private readonly manager: ImageManager;
  private readonly snapshots: SnapshotStore;
  private readonly recorder: Recorder;

  constructor(options: AgentImagesOptions) {
    const registries = options.registriesFile === undefined ? undefined : loadRegistries(options.registriesFile);
    this.store = new ImageStore({ root: options.root, client: new RegistryClient({ registries, defaultEndpoint: options.defaultEndpoint }) });
    this.manager = new ImageManager({ store: this.store });
    this.snapshots = new SnapshotStore(options.root);
    this.recorder = options.recorder;
  }

  /** The manager records every event; a failure becomes the container's waiting reason. */
  async ensureImage(pod: Pod, container: Container): Promise<PulledImage> {
    try {
      const { image, imageRef } = await this.manager.ensureImage(pod, container, this.recorder);
      return { image, config: image.config, imageRef };
    } catch (err) {
      if (err instanceof ImagePullError) throw new WaitingError(err.reason, err.message, { cause: err });
      throw err;
    }
  }

  async mountRootfs(dir: string, pulled: PulledImage): Promise<string> {
    const lowerdirs = await this.snapshots.unpackImage(pulled.image, (digest) => this.store.content.path(digest));
    // A leftover of an attempt that failed before its container was created.
    if (existsSync(dir)) await unmountRootfs(dir);
    return (await mountRootfs(dir, lowerdirs)).path;
  }

  async unmountRootfs(dir: string): Promise<void> {
    await unmountRootfs(dir);
  }
}
