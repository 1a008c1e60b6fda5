import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { RegistryClient } from '../../src/agent/images/registry/client.ts';
import { parseRegistries } from '../../src/agent/images/registry/config.ts';
import type { RegistryError } from '../../src/agent/images/registry/errors.ts';
import { ImageStore } from '../../src/agent/images/store/pull.ts';
import { freePort, push, startRegistry, type TestRegistry } from './registry.ts';
import { startTokenServer, type TokenServer } from './token-server.ts';

function storeFor(dir: string, registriesYaml: string): ImageStore {
  const registries = parseRegistries(registriesYaml, 'registries.yaml');
  // Tests never reach the internet: registries with mirrors do not fall back to their own endpoint.
  return new ImageStore({ root: mkdtempSync(join(dir, 'store-')), client: new RegistryClient({ registries, defaultEndpoint: false }) });
}

describe('mirrors and basic auth against docker-registry', () => {
  let registry: TestRegistry;
  let dir: string;
  let digest: string;
  const basic = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-mirror-'));
    digest = buildBusyboxImage(join(dir, 'busybox')).digest;
    registry = await startRegistry({ htpasswd: { alice: 'secret' } });
    await push(registry, join(dir, 'busybox'), 'mirror/busybox:latest', { authorization: basic });
    await push(registry, join(dir, 'busybox'), 'pause:3.9', { authorization: basic });
  });
  after(async () => {
    await registry?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const yaml = (host: string, auth = '    auth: {username: alice, password: secret}') => `
mirrors:
  docker.io:
    endpoint: ["http://${host}"]
    rewrite: {"^library/(.*)": "mirror/$1"}
  registry.k8s.io:
    endpoint: ["http://${host}"]
configs:
  "${host}":
${auth}
`;

  test('unchanged names (busybox, registry.k8s.io/pause:3.9) pull from the mirror, stored by their own names', async () => {
    const store = storeFor(dir, yaml(registry.host));
    const busybox = await store.pull('busybox');
    assert.equal(busybox.image.name, 'docker.io/library/busybox:latest');
    assert.equal(busybox.image.digest, digest);
    const pause = await store.pull('registry.k8s.io/pause:3.9');
    assert.equal(pause.image.name, 'registry.k8s.io/pause:3.9');
    assert.equal(pause.fetchedBytes, 0, 'same blobs as busybox');
    assert.deepEqual(store.list().map((i) => i.name).sort(), ['docker.io/library/busybox:latest', 'registry.k8s.io/pause:3.9']);
  });

  test('credentials in the auth field (base64) work too; without credentials the pull is Unauthorized', async () => {
    const encoded = `    auth: {auth: ${Buffer.from('alice:secret').toString('base64')}}`;
    assert.equal((await storeFor(dir, yaml(registry.host, encoded)).pull('busybox')).image.digest, digest);
    await assert.rejects(storeFor(dir, yaml(registry.host, '    tls: {}')).pull('busybox'), (e: RegistryError) => e.code === 'Unauthorized');
    await assert.rejects(storeFor(dir, yaml(registry.host, '    auth: {username: alice, password: wrong}')).pull('busybox'), (e: RegistryError) => e.code === 'Unauthorized');
  });

  test('endpoints are tried in order: a dead one and one without the image pass to the next', async () => {
    const dead = `127.0.0.1:${await freePort()}`;
    const store = storeFor(dir, `
mirrors:
  docker.io:
    endpoint: ["http://${dead}", "http://${registry.host}", "http://${registry.host}/v2"]
    rewrite: {"^library/(.*)": "mirror/$1"}
configs:
  "${registry.host}": {auth: {username: alice, password: secret}}
`);
    assert.equal((await store.pull('busybox')).image.digest, digest);
    await assert.rejects(store.pull('nothing-here'), (e: RegistryError) => e.code === 'Unavailable' && e.message.includes(dead), 'the first failure is reported');
  });
});

describe('bearer auth through registries.yaml', () => {
  let tokens: TokenServer;
  let registry: TestRegistry;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-mirror-'));
    buildBusyboxImage(join(dir, 'busybox'));
    tokens = await startTokenServer({ alice: 'secret' }, { 'refresh-alice': 'alice' });
    registry = await startRegistry({ token: tokens });
    await push(registry, join(dir, 'busybox'), 'private/busybox:latest', { authorization: `Bearer ${tokens.token('repository:private/busybox:pull,push')}` });
  });
  after(async () => {
    await registry?.stop();
    await tokens?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('username and password are sent to the token realm', async () => {
    const store = storeFor(dir, `configs: {"${registry.host}": {auth: {username: alice, password: secret}}}`);
    await store.pull(`${registry.host}/private/busybox`);
    assert.deepEqual(tokens.requests.at(-1), { scope: 'repository:private/busybox:pull', user: 'alice' });
  });

  test('an identity token is exchanged with the refresh_token grant', async () => {
    const store = storeFor(dir, `configs: {"*": {auth: {identity_token: refresh-alice}}}`);
    await store.pull(`${registry.host}/private/busybox`);
    assert.deepEqual(tokens.requests.at(-1), { scope: 'repository:private/busybox:pull', user: 'alice' });
    await assert.rejects(storeFor(dir, `configs: {"*": {auth: {identity_token: nope}}}`).pull(`${registry.host}/private/busybox`), (e: RegistryError) => e.code === 'Unauthorized');
  });
});
