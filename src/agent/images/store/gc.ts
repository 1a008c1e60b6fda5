// Garbage collection of the content store: a blob stays while an image names it (as its config or
// a layer) or a pull or import under way holds a lease on it; every other blob is deleted.
import type { ContentStore } from './content.ts';
import type { Image } from './images.ts';

export class Leases {
  private readonly held = new Map<string, number>();

  acquire(digests: string[]): () => void {
    for (const digest of digests) this.held.set(digest, (this.held.get(digest) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const digest of digests) {
        const count = (this.held.get(digest) ?? 1) - 1;
        if (count === 0) this.held.delete(digest);
        else this.held.set(digest, count);
      }
    };
  }

  has(digest: string): boolean {
    return this.held.has(digest);
  }
}

/** Deletes unreferenced, unleased blobs; returns their digests. */
export function collectGarbage(content: ContentStore, images: Pick<Image, 'id' | 'layers'>[], leases: Leases): string[] {
  const used = new Set(images.flatMap((image) => [image.id, ...image.layers.map((layer) => layer.digest)]));
  const unused = content.digests().filter((digest) => !used.has(digest) && !leases.has(digest));
  for (const digest of unused) content.delete(digest);
  return unused;
}
