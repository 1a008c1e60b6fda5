import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import type { RegistryError } from '../../src/agent/images/registry/errors.ts';
import { ImageStore } from '../../src/agent/images/store/pull.ts';
import { push, startRegistry, type TestRegistry } from './registry.ts';

describe('image store', () => {
  let registry: TestRegistry;
  let dir: string;
  let digest: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-images-'));
    digest = buildBusyboxImage(join(dir, 'busybox')).digest;
    registry = await startRegistry();
    await push(registry, join(dir, 'busybox'), 'library/busybox:latest');
  });
  after(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('pulls an image into the content store and remembers its name', async () => {
    const root = mkdtempSync(join(dir, 'store-'));
    let clock = 1000;
    const store = new ImageStore({ root, client: new RegistryClient(), now: () => (clock += 250) });
    const { image, durationMs, fetchedBytes } = await store.pull(`${registry.host}/library/busybox`);
    assert.equal(image.name, `${registry.host}/library/busybox:latest`);
    assert.equal(image.digest, digest);
    assert.equal(durationMs, 250);
    assert.equal(fetchedBytes, image.size);
    assert.ok(image.size > 500_000, 'busybox is in the layer');
    assert.deepEqual(image.config.config?.Cmd, ['sh']);
    for (const blob of [image.id, ...image.layers.map((l) => l.digest)]) assert.ok(store.content.has(blob), blob);
    assert.deepEqual(readdirSync(join(root, 'ingest')), []);

    const again = await store.pull(`${registry.host}/library/busybox:latest`);
    assert.equal(again.fetchedBytes, 0, 'present blobs are not fetched again');

    const reopened = new ImageStore({ root, client: new RegistryClient() });
    assert.equal(reopened.get(`${registry.host}/library/busybox:latest`)?.digest, digest);
    assert.deepEqual(reopened.list().map((i) => i.name), [image.name]);
    assert.equal(reopened.get(`${registry.host}/library/other`), undefined);
  });

  test('a blob that fails verification is discarded', async () => {
    const root = mkdtempSync(join(dir, 'store-'));
    const tampering: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/blobs/')) return response;
      const bytes = new Uint8Array(await response.arrayBuffer());
      bytes[100] ^= 1;
      return new Response(bytes, { status: response.status, headers: response.headers });
    };
    const store = new ImageStore({ root, client: new RegistryClient({ fetch: tampering }) });
    await assert.rejects(store.pull(`${registry.host}/library/busybox`), (e: RegistryError) => e.code === 'DigestMismatch');
    assert.deepEqual(readdirSync(join(root, 'blobs', 'sha256')), []);
    assert.deepEqual(readdirSync(join(root, 'ingest')), []);
    assert.equal(store.get(`${registry.host}/library/busybox`), undefined);
  });
});
