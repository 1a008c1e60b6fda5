// The content store: blobs on disk under blobs/sha256/HEX, named by their digest. A blob is
// written to ingest/ first and renamed into place only after its bytes matched the digest, so a
// blob present under its name is always whole and verified; a mismatch leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseDigest, type Descriptor } from '../oci/types.ts';
import { verifiedBlob } from '../registry/verify.ts';

export class ContentStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = root;
    mkdirSync(join(root, 'blobs', 'sha256'), { recursive: true });
    mkdirSync(join(root, 'ingest'), { recursive: true });
  }

  path(digest: string): string {
    return join(this.root, 'blobs', 'sha256', parseDigest(digest).hex);
  }

  has(digest: string): boolean {
    return existsSync(this.path(digest));
  }

  size(digest: string): number {
    return statSync(this.path(digest)).size;
  }

  read(digest: string): Buffer {
    return readFileSync(this.path(digest));
  }

  // Writes the blob from source; resolves once it is in place under its digest.
  async ingest(descriptor: Pick<Descriptor, 'digest' | 'size'>, source: AsyncIterable<Uint8Array>): Promise<void> {
    const target = this.path(descriptor.digest);
    const temp = join(this.root, 'ingest', `${parseDigest(descriptor.digest).hex}.${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(Readable.from(verifiedBlob(source, descriptor)), createWriteStream(temp, { mode: 0o644 }));
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  // Every blob present, by digest.
  digests(): string[] {
    return readdirSync(join(this.root, 'blobs', 'sha256')).filter((hex) => /^[a-f0-9]{64}$/.test(hex)).map((hex) => `sha256:${hex}`);
  }

  delete(digest: string): void {
    rmSync(this.path(digest), { force: true });
  }
}
