import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ensurePki } from '../../src/api/auth/pki.ts';
import { writeAdminKubeconfig } from '../../src/api/auth/kubeconfig.ts';

test('admin kubeconfig embeds the CA and the admin pair, context peapod', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-kubeconfig-'));
  try {
    const pki = await ensurePki(dir, { hosts: [] });
    const path = await writeAdminKubeconfig(dir, 'https://127.0.0.1:6443', pki);
    assert.equal(path, join(dir, 'kubeconfig.yaml'));
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const config = parse(await readFile(path, 'utf8'));
    const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    assert.equal(config.kind, 'Config');
    assert.equal(config['current-context'], 'peapod');
    assert.deepEqual(config.contexts, [{ name: 'peapod', context: { cluster: 'peapod', user: 'peapod' } }]);
    assert.equal(config.clusters[0].name, 'peapod');
    assert.equal(config.clusters[0].cluster.server, 'https://127.0.0.1:6443');
    assert.equal(decode(config.clusters[0].cluster['certificate-authority-data']), pki.ca.cert);
    assert.equal(config.users[0].name, 'peapod');
    assert.equal(decode(config.users[0].user['client-certificate-data']), pki.admin.cert);
    assert.equal(decode(config.users[0].user['client-key-data']), pki.admin.key);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
