// Offline import of image archives into the store, as `ctr images import` / `docker load` take them:
//   docker-archive (`docker save`): manifest.json [{Config, RepoTags, Layers}] + config + layer tars
//   oci-archive: a tar of an OCI image layout (oci-layout, index.json, blobs/sha256/…), each
//     manifest named by its io.containerd.image.name or org.opencontainers.image.ref.name annotation
// manifest.json wins when both are there (Docker 25 writes both). An archive may be gzip-compressed.
//
//   FILE ─▶ (gunzip) ─▶ readTar ─▶ temp files, hashed ─▶ manifest ─▶ ContentStore.ingest (verified) ─▶ ImageStore.tag
//
// The archive is untrusted: entries are only keys of a map (never paths on disk), links resolve
// inside the archive, and every blob is verified against its digest on ingest.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { createGunzip } from 'node:zlib';
import { isIndex, mediaTypes, sha256Digest, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/types.ts';
import { formatReference, parseReference } from '../registry/reference.ts';
import { readTar } from '../tar/reader.ts';
import type { Image } from './images.ts';
import type { ImageStore } from './pull.ts';

export class ImageArchiveError extends Error {
  constructor(file: string, why: string) {
    super(`${file}: ${why}`);
    this.name = 'ImageArchiveError';
  }
}

interface ArchiveFile {
  path: string; // the extracted copy
  digest: string;
  size: number;
}

interface DockerManifestEntry {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

const dockerLayer = 'application/vnd.docker.image.rootfs.diff.tar';

export async function importArchive(store: ImageStore, file: string, platform = { os: 'linux', architecture: 'amd64' }): Promise<Image[]> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new ImageArchiveError(file, 'no such file');
  const temp = join(store.root, 'ingest', `import-${randomBytes(6).toString('hex')}`);
  mkdirSync(temp, { recursive: true });
  try {
    const archive = await extract(file, temp);
    const entry = (name: string): ArchiveFile => {
      const found = archive.get(clean(name));
      if (found === undefined) throw new ImageArchiveError(file, `${name} is missing from the archive`);
      return found;
    };
    const images = archive.has('manifest.json') ? dockerImages(file, entry) : ociImages(file, entry, platform);
    const imported: Image[] = [];
    for (const { names, manifest, manifestDigest } of images) {
      const blobs = [manifest.config, ...manifest.layers];
      const release = store.lease(blobs.map((blob) => blob.digest));
      try {
        for (const blob of blobs) {
          if (!store.content.has(blob.digest)) await store.content.ingest(blob, createReadStream(blobFile(file, archive, blob).path));
        }
        for (const name of names) imported.push(store.tag(name, manifestDigest, manifest));
      } finally {
        release();
      }
    }
    return imported;
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

interface ArchiveImage {
  names: string[];
  manifest: ImageManifest;
  manifestDigest: string;
}

function dockerImages(file: string, entry: (name: string) => ArchiveFile): ArchiveImage[] {
  const entries = readJson<DockerManifestEntry[]>(file, entry('manifest.json'), 'manifest.json');
  if (!Array.isArray(entries)) throw new ImageArchiveError(file, 'manifest.json is not a list');
  return entries.map((item, i) => {
    const where = `manifest.json[${i}]`;
    if (typeof item.Config !== 'string' || !Array.isArray(item.Layers)) throw new ImageArchiveError(file, `${where}: needs Config and Layers`);
    const names = (item.RepoTags ?? []).map((tag) => normalise(file, `${where}.RepoTags`, tag));
    if (names.length === 0) throw new ImageArchiveError(file, `${where} has no RepoTags to name the image by`);
    const config = entry(item.Config);
    const manifest: ImageManifest = {
      schemaVersion: 2,
      mediaType: mediaTypes.dockerManifest,
      config: { mediaType: mediaTypes.dockerConfig, digest: config.digest, size: config.size },
      layers: item.Layers.map((name) => {
        const layer = entry(name);
        return { mediaType: gzipped(layer.path) ? mediaTypes.dockerLayerGzip : dockerLayer, digest: layer.digest, size: layer.size };
      }),
    };
    return { names, manifest, manifestDigest: sha256Digest(JSON.stringify(manifest)) };
  });
}

function ociImages(file: string, entry: (name: string) => ArchiveFile, platform: { os: string; architecture: string }): ArchiveImage[] {
  entry('oci-layout');
  const index = readJson<ImageIndex>(file, entry('index.json'), 'index.json');
  const blob = (descriptor: Descriptor): ArchiveFile => {
    const found = entry(`blobs/sha256/${descriptor.digest.replace(/^sha256:/, '')}`);
    if (found.digest !== descriptor.digest) throw new ImageArchiveError(file, `blob ${descriptor.digest} hashes to ${found.digest}`);
    return found;
  };
  return (index.manifests ?? []).map((descriptor, i) => {
    const where = `index.json manifests[${i}]`;
    const annotations = descriptor.annotations ?? {};
    const name = annotations['io.containerd.image.name'] ?? annotations['org.opencontainers.image.ref.name'];
    if (name === undefined) throw new ImageArchiveError(file, `${where} has no org.opencontainers.image.ref.name annotation to name the image by`);
    let chosen = descriptor;
    if (isIndex(descriptor.mediaType)) {
      const nested = readJson<ImageIndex>(file, blob(descriptor), descriptor.digest);
      const match = nested.manifests.find((m) => m.platform?.os === platform.os && m.platform.architecture === platform.architecture);
      if (match === undefined) throw new ImageArchiveError(file, `${where}: no manifest for ${platform.os}/${platform.architecture}`);
      chosen = match;
    }
    const manifest = readJson<ImageManifest>(file, blob(chosen), chosen.digest);
    if (manifest.schemaVersion !== 2 || manifest.config === undefined || !Array.isArray(manifest.layers)) {
      throw new ImageArchiveError(file, `${where}: ${chosen.digest} is not an image manifest`);
    }
    return { names: [normalise(file, where, name)], manifest, manifestDigest: chosen.digest };
  });
}

// Copies every regular file to temp (named by sequence, hashed on the way); links become aliases.
async function extract(file: string, temp: string): Promise<Map<string, ArchiveFile>> {
  const files = new Map<string, ArchiveFile>();
  const links: [string, string][] = [];
  let sequence = 0;
  let source: Readable = createReadStream(file);
  if (gzipped(file)) source = source.pipe(createGunzip());
  try {
    for await (const item of readTar(source as AsyncIterable<Buffer>)) {
      const name = clean(item.header.name);
      if (item.header.type === 'symlink') links.push([name, clean(posix.join(posix.dirname(name), item.header.linkname))]);
      else if (item.header.type === 'hardlink') links.push([name, clean(item.header.linkname)]);
      if (item.header.type !== 'file') continue;
      const path = join(temp, String(sequence++));
      const hash = createHash('sha256');
      const out = createWriteStream(path);
      let size = 0;
      for await (const chunk of item.body()) {
        hash.update(chunk);
        size += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');
      files.set(name, { path, digest: `sha256:${hash.digest('hex')}`, size });
    }
  } catch (error) {
    throw new ImageArchiveError(file, `reading the archive: ${(error as Error).message}`);
  } finally {
    source.destroy();
  }
  // Links may point at links (docker save links repeated layers); resolve until settled.
  for (let round = 0; round < links.length; round++) {
    for (const [name, target] of links) if (!files.has(name) && files.has(target)) files.set(name, files.get(target) as ArchiveFile);
  }
  return files;
}

function blobFile(file: string, archive: Map<string, ArchiveFile>, blob: Descriptor): ArchiveFile {
  for (const found of archive.values()) if (found.digest === blob.digest) return found;
  throw new ImageArchiveError(file, `no file in the archive has digest ${blob.digest}`);
}

// Archive names are map keys only; ".." cannot climb above the archive's root.
function clean(name: string): string {
  return posix.normalize(`/${name}`).slice(1).replace(/\/$/, '');
}

function normalise(file: string, where: string, name: string): string {
  try {
    return formatReference(parseReference(name));
  } catch (error) {
    throw new ImageArchiveError(file, `${where}: ${(error as Error).message}`);
  }
}

function readJson<T>(file: string, entry: ArchiveFile, what: string): T {
  try {
    return JSON.parse(readFileSync(entry.path, 'utf8')) as T;
  } catch (error) {
    throw new ImageArchiveError(file, `${what}: ${(error as Error).message}`);
  }
}

function gzipped(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}
