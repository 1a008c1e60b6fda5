import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseRegistries, RegistriesConfigError } from '../../src/agent/images/registry/config.ts';
import { registryHosts } from '../../src/agent/images/registry/hosts.ts';
import { parseReference } from '../../src/agent/images/registry/reference.ts';

const sample = `
mirrors:
  docker.io:
    endpoint:
      - "http://127.0.0.1:5000"
      - "https://mirror.example.com/custom/prefix/"
    rewrite:
      "^library/(.*)": "mirror/$1"
  "*":
    endpoint: ["https://any.example.com"]
configs:
  "127.0.0.1:5000":
    auth: {username: alice, password: secret}
  mirror.example.com:
    auth: {auth: ${Buffer.from('bob:pw:with:colons').toString('base64')}}
    tls: {ca_file: /etc/ca.pem, insecure_skip_verify: true}
  "*":
    auth: {identity_token: refresh-me}
`;

describe('registries.yaml', () => {
  test('parses mirrors, rewrites, auth and tls', () => {
    const config = parseRegistries(sample, '/etc/peapod/registries.yaml');
    const docker = config.mirrors.get('docker.io');
    assert.deepEqual(docker?.endpoints.map(String), ['http://127.0.0.1:5000/', 'https://mirror.example.com/custom/prefix/']);
    assert.equal(docker?.rewrites[0].replacement, 'mirror/$1');
    assert.deepEqual(config.configs.get('127.0.0.1:5000')?.credentials, { username: 'alice', password: 'secret' });
    assert.deepEqual(config.configs.get('mirror.example.com')?.credentials, { username: 'bob', password: 'pw:with:colons' });
    assert.deepEqual(config.configs.get('mirror.example.com')?.tls, { caFile: '/etc/ca.pem', certFile: undefined, keyFile: undefined, insecureSkipVerify: true });
    assert.deepEqual(config.configs.get('*')?.credentials, { identityToken: 'refresh-me' });
  });

  test('an empty file is an empty configuration', () => {
    const config = parseRegistries('', 'r.yaml');
    assert.equal(config.mirrors.size, 0);
    assert.equal(config.configs.size, 0);
  });

  const bad: [string, string][] = [
    ['mirrors: [a]', 'r.yaml: mirrors: must be a mapping'],
    ['mirror: {}', 'r.yaml: mirror: unknown field (expected mirrors, configs)'],
    ['mirrors: {docker.io: {endpoints: []}}', 'r.yaml: mirrors."docker.io".endpoints: unknown field (expected endpoint, rewrite)'],
    ['mirrors: {docker.io: {endpoint: "http://x"}}', 'r.yaml: mirrors."docker.io".endpoint: must be a list of URLs'],
    ['mirrors: {docker.io: {endpoint: ["ftp://x"]}}', 'r.yaml: mirrors."docker.io".endpoint[0]: scheme must be http or https, not ftp'],
    ['mirrors: {docker.io: {endpoint: ["not a url"]}}', 'r.yaml: mirrors."docker.io".endpoint[0]: not a URL: "not a url"'],
    ['mirrors: {docker.io: {rewrite: {"(": "x"}}}', 'r.yaml: mirrors."docker.io".rewrite."(": invalid regular expression'],
    ['configs: {r.io: {auth: {}}}', 'r.yaml: configs."r.io".auth: one of username, auth or identity_token is required'],
    ['configs: {r.io: {auth: {auth: "bm9jb2xvbg=="}}}', 'r.yaml: configs."r.io".auth.auth: must be base64 of "username:password"'],
    ['configs: {r.io: {auth: {username: 1}}}', 'r.yaml: configs."r.io".auth.username: must be a string'],
    ['configs: {r.io: {tls: {cert_file: /c}}}', 'r.yaml: configs."r.io".tls: cert_file and key_file go together'],
    ['configs: {r.io: {tls: {insecure_skip_verify: "yes"}}}', 'r.yaml: configs."r.io".tls.insecure_skip_verify: must be true or false'],
    ['mirrors: {a: [}', 'r.yaml: '],
  ];
  for (const [text, message] of bad) {
    test(`rejects ${text}`, () => {
      assert.throws(() => parseRegistries(text, 'r.yaml'), (e: Error) => e instanceof RegistriesConfigError && e.message.startsWith(message));
    });
  }
});

describe('registry hosts', () => {
  const config = parseRegistries(sample, 'r.yaml');

  test('mirror endpoints in order with rewrites, then the default endpoint unchanged', () => {
    const hosts = registryHosts(config, parseReference('busybox'));
    assert.deepEqual(hosts.map((h) => [h.api, h.repository]), [
      ['http://127.0.0.1:5000/v2', 'mirror/busybox'],
      ['https://mirror.example.com/custom/prefix', 'mirror/busybox'],
      ['https://registry-1.docker.io/v2', 'library/busybox'],
    ]);
    assert.deepEqual(hosts[0].credentials, { username: 'alice', password: 'secret' });
    assert.equal(hosts[1].tls?.caFile, '/etc/ca.pem');
    assert.deepEqual(hosts[2].credentials, { identityToken: 'refresh-me' }, 'the "*" config');
  });

  test('a registry without its own mirror uses "*"; a rewrite that does not match leaves the path', () => {
    const hosts = registryHosts(config, parseReference('registry.k8s.io/pause:3.9'));
    assert.deepEqual(hosts.map((h) => [h.api, h.repository]), [
      ['https://any.example.com/v2', 'pause'],
      ['https://registry.k8s.io/v2', 'pause'],
    ]);
    assert.deepEqual(registryHosts(config, parseReference('rancher/x')).map((h) => h.repository).slice(0, 1), ['rancher/x']);
  });

  test('without the default endpoint only mirrors are tried; unmirrored registries keep theirs', () => {
    const mirrored = parseRegistries('mirrors: {docker.io: {endpoint: ["http://127.0.0.1:5000"]}}', 'r.yaml');
    assert.deepEqual(registryHosts(mirrored, parseReference('busybox'), { defaultEndpoint: false }).map((h) => h.api), ['http://127.0.0.1:5000/v2']);
    assert.deepEqual(registryHosts(mirrored, parseReference('quay.io/x/y'), { defaultEndpoint: false }).map((h) => h.api), ['https://quay.io/v2']);
  });
});
