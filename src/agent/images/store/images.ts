// The image index: which manifest a name points at, with what the node needs to run it (config,
// layers). Kept in one JSON file, replaced atomically on every change.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Descriptor, ImageConfig } from '../oci/types.ts';

export interface Image {
  name: string; // normalised reference, e.g. docker.io/library/busybox:latest
  digest: string; // manifest digest, the image's repo digest
  id: string; // config digest, the image ID as the kubelet reports it
  config: ImageConfig;
  layers: Descriptor[];
  size: number; // bytes of config and (compressed) layers
}

type Record = Omit<Image, 'config'>;

export class ImageIndex {
  private readonly file: string;
  private readonly images: Map<string, Record>;

  constructor(root: string) {
    this.file = join(root, 'images.json');
    const stored = existsSync(this.file) ? (JSON.parse(readFileSync(this.file, 'utf8')) as Record[]) : [];
    this.images = new Map(stored.map((image) => [image.name, image]));
  }

  get(name: string): Record | undefined {
    return this.images.get(name);
  }

  list(): Record[] {
    return [...this.images.values()];
  }

  put(image: Image): void {
    const { config: _config, ...record } = image;
    this.images.set(image.name, record);
    this.save();
  }

  remove(name: string): void {
    this.images.delete(name);
    this.save();
  }

  private save(): void {
    const temp = `${this.file}.tmp`;
    writeFileSync(temp, JSON.stringify(this.list(), null, 1));
    renameSync(temp, this.file);
  }
}
