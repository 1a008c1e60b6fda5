// The OCI distribution client: resolves a reference to one linux/amd64 image manifest (through an
// OCI index or Docker manifest list) and streams blobs, each verified against its digest. Every
// request goes to the registry's hosts in order (mirrors, then the default endpoint, see
// hosts.ts); a host that fails passes the request to the next, and the first failure is reported.
import { isIndex, mediaTypes, sha256Digest, type Descriptor, type ImageIndex, type ImageManifest } from '../oci/types.ts';
import { Authorizer, type CredentialLookup } from './auth.ts';
import { emptyRegistries, type RegistriesConfig } from './config.ts';
import { RegistryError } from './errors.ts';
import { registryHosts, type RegistryHost } from './hosts.ts';
import { formatReference, type ImageReference } from './reference.ts';
import { tlsFetch, type Fetch } from './transport.ts';
import { verifiedBlob } from './verify.ts';

export interface Platform {
  os: string;
  architecture: string;
}

export interface RegistryClientOptions {
  fetch?: typeof fetch;
  registries?: RegistriesConfig; // registries.yaml: mirrors, rewrites, auth and TLS per host
  defaultEndpoint?: boolean; // false: registries with mirrors never fall back to their own endpoint
  credentials?: CredentialLookup; // for hosts that registries.yaml gives no auth
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
  private readonly options: RegistryClientOptions;
  private readonly registries: RegistriesConfig;
  private readonly platform: Platform;
  private readonly transports = new Map<string, Fetch>();

  constructor(options: RegistryClientOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.authorizer = new Authorizer(this.fetch);
    this.options = options;
    this.registries = options.registries ?? emptyRegistries;
    this.platform = options.platform ?? { os: 'linux', architecture: 'amd64' };
  }

  // The endpoints to try for an image, in order.
  hosts(image: ImageReference): RegistryHost[] {
    return registryHosts(this.registries, image, { insecureRegistries: this.options.insecureRegistries, defaultEndpoint: this.options.defaultEndpoint });
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

  private async request(image: ImageReference, path: string, headers: Record<string, string>): Promise<Response> {
    let first: RegistryError | undefined;
    for (const host of this.hosts(image)) {
      try {
        return await this.requestFrom(host, image, path, headers);
      } catch (error) {
        if (!(error instanceof RegistryError)) throw error;
        first ??= error;
      }
    }
    throw first ?? new RegistryError('Unavailable', `${formatReference(image)}: no endpoint to pull from`);
  }

  // One GET from one host; a 401 is answered once with the challenge's credentials or token.
  private async requestFrom(host: RegistryHost, image: ImageReference, path: string, headers: Record<string, string>): Promise<Response> {
    const url = `${host.api}/${host.repository}/${path}`;
    const cached = this.authorizer.cached(host.host, host.repository);
    let response = await this.get(host, url, cached === undefined ? headers : { ...headers, authorization: cached });
    if (response.status === 401) {
      await response.body?.cancel();
      const credentials = host.credentials ?? this.options.credentials?.(host.host) ?? this.options.credentials?.(image.registry);
      const authorization = await this.authorizer.answer(host.host, host.repository, response.headers.get('www-authenticate'), credentials);
      response = await this.get(host, url, { ...headers, authorization });
    }
    if (response.ok) return response;
    await response.body?.cancel();
    // containerd words it "unexpected status from GET request to URL: 401 Unauthorized".
    const what = `${formatReference(image)}: GET ${url}`;
    if (response.status === 404) throw new RegistryError('NotFound', `${what}: not found`);
    const status = `${response.status} ${response.statusText}`.trim();
    if (response.status === 401 || response.status === 403) throw new RegistryError('Unauthorized', `${what}: unexpected status: ${status}`);
    throw new RegistryError('Unavailable', `${what}: unexpected status: ${status}`);
  }

  private async get(host: RegistryHost, url: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await this.transport(host)(url, { headers });
    } catch (error) {
      if (error instanceof RegistryError) throw error;
      throw new RegistryError('Unavailable', `GET ${url}: ${describe(error)}`, { cause: error });
    }
  }

  private transport(host: RegistryHost): Fetch {
    if (host.tls === undefined || !host.api.startsWith('https:')) return this.fetch;
    let transport = this.transports.get(host.host);
    if (transport === undefined) {
      transport = tlsFetch(host.tls, this.fetch);
      this.transports.set(host.host, transport);
    }
    return transport;
  }
}

// fetch hides the reason (refused, TLS) in its cause.
function describe(error: unknown): string {
  const message = (error as Error).message;
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return cause === undefined ? message : `${message}: ${cause}`;
}

function parseManifest(bytes: Buffer, image: ImageReference): ImageManifest {
  const manifest = JSON.parse(bytes.toString()) as ImageManifest;
  if (manifest.schemaVersion !== 2 || manifest.config === undefined || !Array.isArray(manifest.layers)) {
    throw new RegistryError('Unsupported', `${formatReference(image)}: not an image manifest (schema 2)`);
  }
  return manifest;
}
