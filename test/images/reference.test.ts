import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseChallenge } from '../../src/agent/images/registry/auth.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import { formatReference, parseReference, registryEndpoint } from '../../src/agent/images/registry/reference.ts';

const digest = `sha256:${'a'.repeat(64)}`;

describe('image references', () => {
  test('normalise as Docker does', () => {
    assert.equal(formatReference(parseReference('busybox')), 'docker.io/library/busybox:latest');
    assert.equal(formatReference(parseReference('nginx:1.27')), 'docker.io/library/nginx:1.27');
    assert.equal(formatReference(parseReference('bitnami/redis')), 'docker.io/bitnami/redis:latest');
    assert.equal(formatReference(parseReference('index.docker.io/library/busybox:1')), 'docker.io/library/busybox:1');
    assert.equal(formatReference(parseReference('quay.io/a/b/c:v1')), 'quay.io/a/b/c:v1');
    assert.equal(formatReference(parseReference('localhost/x')), 'localhost/x:latest');
    assert.deepEqual(parseReference('127.0.0.1:5000/busybox:2'), { registry: '127.0.0.1:5000', repository: 'busybox', tag: '2', digest: undefined });
    assert.deepEqual(parseReference(`busybox@${digest}`), { registry: 'docker.io', repository: 'library/busybox', tag: undefined, digest });
    assert.equal(parseReference(`busybox:1@${digest}`).tag, '1');
  });

  test('reject malformed references', () => {
    for (const bad of ['Busybox', 'busybox:', 'busybox@sha256:abc', 'a//b', '', 'busybox:-x']) {
      assert.throws(() => parseReference(bad), /invalid image reference/, bad);
    }
  });

  test('endpoints: Docker Hub, https by default, plain http for loopback and insecure registries', () => {
    assert.equal(registryEndpoint('docker.io'), 'https://registry-1.docker.io');
    assert.equal(registryEndpoint('quay.io'), 'https://quay.io');
    assert.equal(registryEndpoint('127.0.0.1:5000'), 'http://127.0.0.1:5000');
    assert.equal(registryEndpoint('registry.lan:5000', ['registry.lan:5000']), 'http://registry.lan:5000');
  });
});

describe('auth challenges', () => {
  test('parse Docker Hub\'s bearer challenge', () => {
    assert.deepEqual(parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"'), {
      scheme: 'bearer',
      params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' },
    });
    assert.deepEqual(parseChallenge('Basic realm="Registry Realm"'), { scheme: 'basic', params: { realm: 'Registry Realm' } });
  });

  test('answer a Basic challenge with the configured credentials', async () => {
    const seen: (string | null)[] = [];
    const basicOnly: typeof fetch = async (_input, init) => {
      const authorization = new Headers(init?.headers).get('authorization');
      seen.push(authorization);
      if (authorization !== `Basic ${Buffer.from('bob:pw').toString('base64')}`) {
        return new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } });
      }
      return new Response(JSON.stringify({ schemaVersion: 2, config: { digest, size: 1, mediaType: 'x' }, layers: [] }), {
        headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      });
    };
    const client = new RegistryClient({ fetch: basicOnly, credentials: () => ({ username: 'bob', password: 'pw' }) });
    const image = parseReference('registry.example:5000/x:1');
    await client.resolve(image);
    await client.resolve(image);
    assert.deepEqual(seen.map((s) => s?.split(' ')[0] ?? null), [null, 'Basic', 'Basic'], 'the answer is cached');
    const anonymous = new RegistryClient({ fetch: basicOnly });
    await assert.rejects(anonymous.resolve(image), (e: Error & { code?: string }) => e.code === 'Unauthorized');
  });
});
