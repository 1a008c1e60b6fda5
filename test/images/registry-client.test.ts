import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { readLayoutBlob, readLayoutIndex } from '../../src/agent/images/oci/layout.ts';
import { mediaTypes, sha256Digest, type ImageConfig, type ImageManifest } from '../../src/agent/images/oci/types.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import { RegistryError } from '../../src/agent/images/registry/errors.ts';
import { parseReference } from '../../src/agent/images/registry/reference.ts';
import { push, startRegistry, type TestRegistry } from './registry.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

// Adds a linux/arm64 sibling (same layer, own config) before the amd64 manifest in the layout's index.
function addArm64(layout: string): void {
  const index = readLayoutIndex(layout);
  const amd64 = JSON.parse(readLayoutBlob(layout, index.manifests[0].digest).toString()) as ImageManifest;
  const config = { ...(JSON.parse(readLayoutBlob(layout, amd64.config.digest).toString()) as ImageConfig), architecture: 'arm64' };
  const put = (data: Buffer): string => {
    const digest = sha256Digest(data);
    writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), data);
    return digest;
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const manifest = Buffer.from(JSON.stringify({ ...amd64, config: { ...amd64.config, digest: put(configBytes), size: configBytes.length } }));
  index.manifests.unshift({ mediaType: mediaTypes.ociManifest, digest: put(manifest), size: manifest.length, platform: { os: 'linux', architecture: 'arm64' } });
  writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
}

describe('registry client against docker-registry', () => {
  let registry: TestRegistry;
  let dir: string;
  let digest: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-images-'));
    digest = buildBusyboxImage(join(dir, 'busybox')).digest;
    buildBusyboxImage(join(dir, 'multi'));
    addArm64(join(dir, 'multi'));
    registry = await startRegistry();
    await push(registry, join(dir, 'busybox'), 'library/busybox:latest');
    await push(registry, join(dir, 'multi'), 'multi/busybox:1', { asIndex: true });
  });
  after(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('resolves a tag to the pushed manifest and fetches verified blobs', async () => {
    const client = new RegistryClient();
    const image = parseReference(`${registry.host}/library/busybox:latest`);
    const resolved = await client.resolve(image);
    assert.equal(resolved.manifestDigest, digest);
    assert.equal(resolved.indexDigest, undefined);
    const config = JSON.parse((await client.blobBytes(image, resolved.manifest.config)).toString()) as ImageConfig;
    assert.deepEqual(config.config?.Cmd, ['sh']);
    const layer = await client.blobBytes(image, resolved.manifest.layers[0]);
    assert.equal(sha256Digest(gunzipSync(layer)), config.rootfs.diff_ids[0]);
  });

  test('resolves by digest', async () => {
    const resolved = await new RegistryClient().resolve(parseReference(`${registry.host}/library/busybox@${digest}`));
    assert.equal(resolved.manifestDigest, digest);
  });

  test('picks linux/amd64 from an index', async () => {
    const client = new RegistryClient();
    const image = parseReference(`${registry.host}/multi/busybox:1`);
    const resolved = await client.resolve(image);
    assert.ok(resolved.indexDigest?.startsWith('sha256:'));
    const config = JSON.parse((await client.blobBytes(image, resolved.manifest.config)).toString()) as ImageConfig;
    assert.equal(config.architecture, 'amd64');
    const arm = new RegistryClient({ platform: { os: 'linux', architecture: 'arm64' } });
    const armConfig = JSON.parse((await arm.blobBytes(image, (await arm.resolve(image)).manifest.config)).toString()) as ImageConfig;
    assert.equal(armConfig.architecture, 'arm64');
    const s390x = new RegistryClient({ platform: { os: 'linux', architecture: 's390x' } });
    await assert.rejects(s390x.resolve(image), (e: RegistryError) => e.code === 'NoMatchingPlatform');
  });

  test('a missing image is NotFound', async () => {
    await assert.rejects(new RegistryClient().resolve(parseReference(`${registry.host}/nope/nothing:1`)), (e: RegistryError) => e.code === 'NotFound');
  });

  test('a blob whose bytes do not match its digest fails with DigestMismatch', async () => {
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/blobs/')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[bytes.length - 1] ^= 1;
      return new Response(bytes, { status: response.status, headers: response.headers });
    };
    const client = new RegistryClient({ fetch: tampering });
    const image = parseReference(`${registry.host}/library/busybox:latest`);
    const resolved = await client.resolve(image);
    await assert.rejects(client.blobBytes(image, resolved.manifest.layers[0]), (e: RegistryError) => e.code === 'DigestMismatch');
  });

  test('a manifest that does not match the requested digest is rejected', async () => {
    const lying: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = (await response.text()).replace('"schemaVersion":2', '"schemaVersion": 2');
      return new Response(text, { status: response.status, headers: response.headers });
    };
    const image = parseReference(`${registry.host}/library/busybox@${digest}`);
    await assert.rejects(new RegistryClient({ fetch: lying }).resolve(image), (e: RegistryError) => e.code === 'DigestMismatch');
  });
});

describe('registry client with token auth', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-images-'));
    buildBusyboxImage(join(dir, 'busybox'));
    tokens = await startTokenServer({ alice: 'secret' });
    registry = await startRegistry({ token: tokens });
    const authorization = `Bearer ${tokens.token('repository:private/busybox:pull,push')}`;
    await push(registry, join(dir, 'busybox'), 'private/busybox:latest', { authorization });
  });
  after(async () => {
    await registry?.stop();
    await tokens?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('fetches a bearer token from the realm with the credentials and pulls', async () => {
    const client = new RegistryClient({ credentials: (host) => (host === registry.host ? { username: 'alice', password: 'secret' } : undefined) });
    const image = parseReference(`${registry.host}/private/busybox:latest`);
    const resolved = await client.resolve(image);
    await client.blobBytes(image, resolved.manifest.layers[0]);
    const pulls = tokens.requests.filter((r) => r.user === 'alice');
    assert.equal(pulls.length, 1, 'the token is reused for the following requests');
    assert.equal(pulls[0].scope, 'repository:private/busybox:pull');
  });

  test('without credentials the pull is Unauthorized', async () => {
    const image = parseReference(`${registry.host}/private/busybox:latest`);
    await assert.rejects(new RegistryClient().resolve(image), (e: RegistryError) => e.code === 'Unauthorized');
  });
});
