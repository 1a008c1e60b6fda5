// The OCI distribution client: resolves a reference to one linux/amd64 image manifest (through an
// OCI index or Docker manifest list) and streams blobs, each verified against its digest.
import { isIndex, mediaTypes, sha256Digest, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/types.ts';
import { Authorizer, type CredentialLookup } from './auth.ts';
import { RegistryError } from './errors.ts';
import { formatReference, registryEndpoint, type ImageReference } from './reference.ts';
import { verifiedBlob } from './verify.ts';

export interface Platform {
  os: string;
  architecture: string;
}

export interface RegistryClientOptions {
  fetch?: typeof fetch;
  credentials?: CredentialLookup;
  insecureRegistries?: string[]; // host[:port] spoken to over plain http
  platform?: Platform;
}

export interface ResolvedImage {
  manifestDigest: string;
  manifest: ImageManifest;
  indexDigest?: string; // set when the reference named an index or manifest list
}

const manifestAccept = [mediaTypes.ociIndex, mediaTypes.ociManifest, mediaTypes.dockerManifestList, mediaTypes.dockerManifest].join(', ');

export class RegistryClient {
  private readonly fetch: typeof fetch;
  private readonly authorizer: Authorizer;
  private readonly insecure: string[];
  private readonly platform: Platform;

  constructor(options: RegistryClientOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.authorizer = new Authorizer(this.fetch, options.credentials ?? (() => undefined));
    this.insecure = options.insecureRegistries ?? [];
    this.platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  }

  async resolve(image: ImageReference): Promise<ResolvedImage> {
    const top = await this.manifest(image, image.digest ?? image.tag ?? 'latest');
    if (!isIndex(top.mediaType)) return { manifestDigest: top.digest, manifest: parseManifest(top.bytes, image) };
    const index = JSON.parse(top.bytes.toString()) as ImageIndex;
    const chosen = this.choose(index, image);
    const manifest = await this.manifest(image, chosen.digest);
    if (isIndex(manifest.mediaType)) throw new RegistryError('Unsupported', `${formatReference(image)}: nested image indexes are not supported`);
    return { manifestDigest: chosen.digest, manifest: parseManifest(manifest.bytes, image), indexDigest: top.digest };
  }

  // Streams a blob; the stream throws a DigestMismatch at its end if the bytes do not match.
  async *blob(image: ImageReference, descriptor: Descriptor): AsyncGenerator<Buffer> {
    const response = await this.request(image, `blobs/${descriptor.digest}`, {});
    if (response.body === null) throw new RegistryError('Unavailable', `blob ${descriptor.digest}: empty response`);
    yield* verifiedBlob(response.body, descriptor);
  }

  async blobBytes(image: ImageReference, descriptor: Descriptor): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const chunk of this.blob(image, descriptor)) parts.push(chunk);
    return Buffer.concat(parts);
  }

  private async manifest(image: ImageReference, reference: string): Promise<{ mediaType: string; digest: string; bytes: Buffer }> {
    const response = await this.request(image, `manifests/${reference}`, { accept: manifestAccept });
    const bytes = Buffer.from(await response.arrayBuffer());
    const digest = sha256Digest(bytes);
    const claimed = reference.startsWith('sha256:') ? reference : response.headers.get('docker-content-digest');
    if (claimed !== null && claimed !== digest) {
      throw new RegistryError('DigestMismatch', `manifest ${formatReference(image)} (${reference}) hashes to ${digest}, not ${claimed}`);
    }
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
    const declared = (JSON.parse(bytes.toString()) as { mediaType?: string }).mediaType;
    return { mediaType: declared ?? mediaType, digest, bytes };
  }

  private choose(index: ImageIndex, image: ImageReference): Descriptor {
    const { os, architecture } = this.platform;
    const chosen = index.manifests.find((m) => m.platform?.os === os && m.platform.architecture === architecture);
    if (chosen === undefined) {
      const offered = index.manifests.map((m) => `${m.platform?.os}/${m.platform?.architecture}`).join(', ');
      throw new RegistryError('NoMatchingPlatform', `${formatReference(image)}: no manifest for ${os}/${architecture} (offered: ${offered})`);
    }
    return chosen;
  }

  // One GET; a 401 is answered once with the challenge's credentials or token.
  private async request(image: ImageReference, path: string, headers: Record<string, string>): Promise<Response> {
    const url = `${registryEndpoint(image.registry, this.insecure)}/v2/${image.repository}/${path}`;
    const cached = this.authorizer.cached(image.registry, image.repository);
    let response = await this.get(url, cached === undefined ? headers : { ...headers, authorization: cached });
    if (response.status === 401) {
      await response.body?.cancel();
      const authorization = await this.authorizer.answer(image.registry, image.repository, response.headers.get('www-authenticate'));
      response = await this.get(url, { ...headers, authorization });
    }
    if (response.ok) return response;
    await response.body?.cancel();
    const what = `${formatReference(image)}: GET ${path}`;
    if (response.status === 404) throw new RegistryError('NotFound', `${what}: not found`);
    if (response.status === 401 || response.status === 403) throw new RegistryError('Unauthorized', `${what}: HTTP ${response.status}`);
    throw new RegistryError('Unavailable', `${what}: HTTP ${response.status}`);
  }

  private async get(url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.fetch(url, { headers });
    } catch (error) {
      throw new RegistryError('Unavailable', `GET ${url}: ${(error as Error).message}`, { cause: error });
    }
  }
}

function parseManifest(bytes: Buffer, image: ImageReference): ImageManifest {
  const manifest = JSON.parse(bytes.toString()) as ImageManifest;
  if (manifest.schemaVersion !== 2 || manifest.config === undefined || !Array.isArray(manifest.layers)) {
    throw new RegistryError('Unsupported', `${formatReference(image)}: not an image manifest (schema 2)`);
  }
  return manifest;
}
