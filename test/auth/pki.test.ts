import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki, servingNames, tlsServerOptions } from '../../src/api/auth/pki.ts';

describe('ensurePki', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-pki-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('first start creates a CA, a serving and an admin certificate, keys 0600', async () => {
    const pki = await ensurePki(dir, { hosts: ['10.1.2.3', 'peapod.example'] });
    const ca = new X509Certificate(pki.ca.cert);
    assert.equal(ca.ca, true);
    assert.match(ca.subject, /CN=peapod-ca/);
    const years = (new Date(ca.validTo).getTime() - new Date(ca.validFrom).getTime()) / (365 * 24 * 3600 * 1000);
    assert.ok(years > 9.9 && years < 10.1, `CA validity ${years} years`);
    assert.equal((ca.publicKey.asymmetricKeyDetails ?? {}).namedCurve, 'prime256v1');
    for (const file of ['ca.key', 'apiserver.key', 'admin.key']) {
      assert.equal((await stat(join(dir, 'pki', file))).mode & 0o777, 0o600, file);
    }
    assert.equal(await readFile(join(dir, 'pki', 'ca.crt'), 'utf8'), pki.ca.cert);
  });

  test('serving certificate is signed by the CA and covers local names and requested hosts', async () => {
    const pki = await ensurePki(dir, { hosts: ['10.1.2.3', 'peapod.example'] });
    const ca = new X509Certificate(pki.ca.cert);
    const serving = new X509Certificate(pki.serving.cert);
    assert.ok(serving.checkIssued(ca));
    assert.ok(serving.verify(ca.publicKey));
    assert.equal(serving.ca, false);
    for (const host of ['localhost', hostname().toLowerCase(), 'peapod.example', 'kubernetes.default.svc']) {
      assert.equal(serving.checkHost(host, { subject: 'never' }), host);
    }
    for (const ip of ['127.0.0.1', '::1', '10.1.2.3']) assert.ok(serving.checkIP(ip), ip);
    assert.equal(serving.checkIP('10.9.9.9'), undefined);
    assert.deepEqual(serving.keyUsage, ['1.3.6.1.5.5.7.3.1']);
  });

  test('admin certificate is CN=admin, O=system:masters, for client auth', async () => {
    const pki = await ensurePki(dir, { hosts: [] });
    const admin = new X509Certificate(pki.admin.cert);
    assert.equal(admin.subject, 'CN=admin\nO=system:masters');
    assert.ok(admin.verify(new X509Certificate(pki.ca.cert).publicKey));
    assert.deepEqual(admin.keyUsage, ['1.3.6.1.5.5.7.3.2']);
  });

  test('a later start reuses every file', async () => {
    const first = await ensurePki(dir, { hosts: ['10.1.2.3'] });
    const second = await ensurePki(dir, { hosts: ['10.1.2.3'] });
    assert.deepEqual(second, first);
  });

  test('a new host reissues only the serving certificate, keeping its key', async () => {
    const before = await ensurePki(dir, { hosts: [] });
    const after = await ensurePki(dir, { hosts: ['192.0.2.7'] });
    assert.notEqual(after.serving.cert, before.serving.cert);
    assert.equal(after.serving.key, before.serving.key);
    assert.deepEqual(after.ca, before.ca);
    assert.deepEqual(after.admin, before.admin);
    assert.ok(new X509Certificate(after.serving.cert).checkIP('192.0.2.7'));
  });

  test('an unreadable or near-expiry leaf is reissued', async () => {
    const before = await ensurePki(dir, { hosts: [] });
    await writeFile(join(dir, 'pki', 'admin.crt'), 'garbage');
    const repaired = await ensurePki(dir, { hosts: [] });
    assert.notEqual(repaired.admin.cert, before.admin.cert);
    assert.ok(new X509Certificate(repaired.admin.cert).checkPrivateKey(createPrivateKey(repaired.admin.key)));
    const inElevenMonths = new Date(Date.now() + 340 * 24 * 3600 * 1000);
    const renewed = await ensurePki(dir, { hosts: [], now: () => inElevenMonths });
    assert.notEqual(renewed.serving.cert, repaired.serving.cert);
    assert.notEqual(renewed.admin.cert, repaired.admin.cert);
    assert.deepEqual(renewed.ca, repaired.ca);
  });

  test('a CA certificate without its key is an error, not a silent new CA', async () => {
    const other = await mkdtemp(join(tmpdir(), 'peapod-pki-'));
    try {
      await ensurePki(other, { hosts: [] });
      await unlink(join(other, 'pki', 'ca.key'));
      await assert.rejects(ensurePki(other, { hosts: [] }), /found only one of .*ca\.crt and .*ca\.key/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  test('tlsServerOptions asks for client certificates without requiring them', async () => {
    const pki = await ensurePki(dir, { hosts: [] });
    const options = tlsServerOptions(pki);
    assert.equal(options.requestCert, true);
    assert.equal(options.rejectUnauthorized, false);
    assert.equal(options.ca, pki.ca.cert);
    assert.equal(options.cert, pki.serving.cert);
  });
});

describe('servingNames', () => {
  test('classifies hosts and expands an unspecified bind address', () => {
    const names = servingNames(['[fd00::5]', 'Node-A.example', '0.0.0.0', '']);
    assert.ok(names.ips.includes('fd00::5'));
    assert.ok(names.dns.includes('node-a.example'));
    assert.ok(!names.ips.includes('0.0.0.0'));
    assert.ok(names.ips.includes('127.0.0.1') && names.ips.includes('::1'));
  });
});
