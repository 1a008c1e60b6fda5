import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { authenticate } from '../../src/api/auth/authn.ts';
import { ensurePki, tlsServerOptions, type KeyPair, type Pki } from '../../src/api/auth/pki.ts';
import { ensureTokens, type TokenFile } from '../../src/api/auth/tokens.ts';

interface Answer {
  status: number;
  body: string;
}

describe('authenticate', () => {
  let dir: string;
  let otherDir: string;
  let pki: Pki;
  let foreign: Pki;
  let tokens: TokenFile;
  let server: Server;
  let port: number;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-authn-'));
    otherDir = await mkdtemp(join(tmpdir(), 'peapod-authn-other-'));
    pki = await ensurePki(dir, { hosts: [] });
    foreign = await ensurePki(otherDir, { hosts: [] });
    tokens = await ensureTokens(dir);
    server = createServer(tlsServerOptions(pki), (req, res) => {
      const user = authenticate({ pki, tokens }, req.socket as TLSSocket, req.headers.authorization);
      res.writeHead(user ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(user ?? { reason: 'Unauthorized' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
    await rm(otherDir, { recursive: true, force: true });
  });

  function call(client: KeyPair | undefined, authorization?: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const req = request({
        host: '127.0.0.1', port, path: '/', ca: pki.ca.cert, agent: false,
        ...(client ? { cert: client.cert, key: client.key } : {}),
        headers: authorization ? { authorization } : {},
      }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('a client certificate from the cluster CA names the user and its groups', async () => {
    const answer = await call(pki.admin);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { name: 'admin', groups: ['system:masters', 'system:authenticated'] });
  });

  test('a bearer token from the token file', async () => {
    const answer = await call(undefined, `Bearer ${tokens.bootstrapToken}`);
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { name: 'kubelet-bootstrap', groups: ['system:bootstrappers', 'system:authenticated'] });
  });

  test('nothing, a wrong token or a certificate from another CA is unauthenticated', async () => {
    assert.equal((await call(undefined)).status, 401);
    assert.equal((await call(undefined, 'Bearer nope.nope')).status, 401);
    assert.equal((await call(undefined, `Basic ${tokens.bootstrapToken}`)).status, 401);
    assert.equal((await call(foreign.admin)).status, 401);
  });

  test('a foreign certificate does not hide a valid token', async () => {
    const answer = await call(foreign.admin, `bearer ${tokens.bootstrapToken}`);
    assert.equal(answer.status, 200);
    assert.equal(JSON.parse(answer.body).name, 'kubelet-bootstrap');
  });
});
