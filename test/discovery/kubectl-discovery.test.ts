// Real kubectl binaries (1.27, 1.32, 1.33 and the dispatcher on PATH) against a small HTTPS server
// made of the auth and discovery components: PKI, client-certificate authentication,
// the admin kubeconfig, /version and discovery.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { stringify } from 'yaml';
import { authenticate } from '../../src/api/auth/authn.ts';
import { adminKubeconfig, writeAdminKubeconfig } from '../../src/api/auth/kubeconfig.ts';
import { ensurePki, tlsServerOptions, type Pki } from '../../src/api/auth/pki.ts';
import { ensureTokens } from '../../src/api/auth/tokens.ts';
import { serveDiscovery, serveHealth, serveVersion } from '../../src/api/discovery/index.ts';
import { errors, type ApiError } from '../../src/api/errors.ts';
import type { SimpleRequest } from '../../src/api/http/response.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sendStatus(res: ServerResponse, err: ApiError): void {
  res.writeHead(err.code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(err.toStatus()));
}

function whichKubectl(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    try {
      return realpathSync(join(dir, 'kubectl'));
    } catch {
      // not in this PATH entry
    }
  }
  return undefined;
}

const kubectl = whichKubectl();
const binDir = kubectl ? dirname(kubectl) : '';

describe('real kubectl against auth + discovery', { skip: kubectl ? false : 'kubectl not on PATH' }, () => {
  let dir: string;
  let pki: Pki;
  let server: Server;
  let kubeconfig: string;
  let userAgents: string[] = [];
  let bootstrapToken: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-kubectl-disc-'));
    pki = await ensurePki(dir, { hosts: ['127.0.0.1'] });
    const authn = { pki, tokens: await ensureTokens(dir) };
    bootstrapToken = authn.tokens.bootstrapToken ?? '';
    server = createServer(tlsServerOptions(pki), (req, res) => {
      userAgents.push(req.headers['user-agent'] ?? '');
      const url = new URL(req.url ?? '/', 'https://peapod');
      const simple: SimpleRequest = { path: url.pathname, query: url.searchParams, headers: req.headers };
      if (!authenticate(authn, req.socket as TLSSocket, req.headers.authorization)) {
        sendStatus(res, errors.unauthorized());
        return;
      }
      const answer = serveHealth(simple, true) ?? serveVersion(simple) ?? serveDiscovery(simple);
      if (!answer) {
        sendStatus(res, errors.notFoundPath());
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    kubeconfig = await writeAdminKubeconfig(dir, url, pki);
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  function run(binary: string, args: string[], config = kubeconfig): Promise<Run> {
    const cacheDir = join(dir, `cache-${Math.random().toString(36).slice(2)}`);
    return new Promise((resolve) => {
      const child = execFile(binary, [`--kubeconfig=${config}`, `--cache-dir=${cacheDir}`, ...args],
        { timeout: 60_000, env: { PATH: process.env.PATH, HOME: dir } },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
          resolve({ code, stdout, stderr });
        });
      // EOF on stdin: without credentials kubectl would otherwise wait at a username prompt.
      child.stdin?.end();
    });
  }

  for (const minor of ['32', '33', '27']) {
    test(`kubectl.1.${minor} api-resources lists pods, deployments and leases`, async () => {
      const result = await run(join(binDir, `kubectl.1.${minor}`), ['api-resources']);
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^NAME +SHORTNAMES +APIVERSION +NAMESPACED +KIND$/);
      const rows = new Map(lines.slice(1).map((line) => [line.split(/ +/)[0], line.split(/ +/).slice(1)]));
      assert.deepEqual(rows.get('pods'), ['po', 'v1', 'true', 'Pod']);
      assert.deepEqual(rows.get('services'), ['svc', 'v1', 'true', 'Service']);
      assert.deepEqual(rows.get('namespaces'), ['ns', 'v1', 'false', 'Namespace']);
      assert.deepEqual(rows.get('deployments'), ['deploy', 'apps/v1', 'true', 'Deployment']);
      assert.deepEqual(rows.get('leases'), ['coordination.k8s.io/v1', 'true', 'Lease']);
      assert.equal(rows.has('pods/log'), false, 'subresources are not listed');
    });
  }

  test('api-resources prints the exact table', async () => {
    const result = await run(join(binDir, 'kubectl.1.32'), ['api-resources']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.equal(lines[0], 'NAME              SHORTNAMES   APIVERSION               NAMESPACED   KIND');
    assert.ok(lines.includes('pods              po           v1                       true         Pod'), result.stdout);
    assert.ok(lines.includes('leases                         coordination.k8s.io/v1   true         Lease'), result.stdout);
  });

  test('api-versions', async () => {
    const result = await run(join(binDir, 'kubectl.1.32'), ['api-versions']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trim().split('\n').sort(), ['apps/v1', 'coordination.k8s.io/v1', 'v1']);
  });

  test('version -o json reports the server as 1.32', async () => {
    const result = await run(join(binDir, 'kubectl.1.32'), ['version', '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const version = JSON.parse(result.stdout);
    assert.equal(version.serverVersion.major, '1');
    assert.equal(version.serverVersion.minor, '32');
    assert.equal(version.serverVersion.gitVersion, 'v1.32.0-peapod');
  });

  test('the kubectl dispatcher on PATH picks kubectl 1.32 from /version', async () => {
    userAgents = [];
    const result = await run('kubectl', ['version', '-o', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const version = JSON.parse(result.stdout);
    assert.equal(version.serverVersion.minor, '32');
    assert.match(version.clientVersion.gitVersion, /^v1\.32\./);
    assert.ok(userAgents.some((ua) => ua.startsWith('kubectl-dispatcher/')), userAgents.join('\n'));
    assert.ok(userAgents.some((ua) => /^kubectl\/v1\.32\.\d+ /.test(ua)), userAgents.join('\n'));
  });

  // A user with no credentials at all makes kubectl prompt for a username on https servers,
  // so the certificate is swapped for a bearer token.
  async function kubeconfigWithToken(token: string): Promise<string> {
    const config = adminKubeconfig(`https://127.0.0.1:${(server.address() as AddressInfo).port}`, pki) as {
      users: { user: Record<string, string> }[];
    };
    config.users[0].user = { token };
    const path = join(dir, `token-${token.slice(0, 6)}.yaml`);
    await writeFile(path, stringify(config), { mode: 0o600 });
    return path;
  }

  test('without the client certificate, an unknown token → You must be logged in to the server', async () => {
    const config = await kubeconfigWithToken('abcdef.0123456789abcdef');
    // A decoded Status carries the message "Unauthorized"...
    const raw = await run(join(binDir, 'kubectl.1.32'), ['get', '--raw', '/version'], config);
    assert.notEqual(raw.code, 0);
    assert.equal(raw.stderr, 'error: You must be logged in to the server (Unauthorized)\n');
    // ...while discovery reports client-go's generic 401 text, as against kube-apiserver.
    const discovery = await run(join(binDir, 'kubectl.1.32'), ['api-resources'], config);
    assert.notEqual(discovery.code, 0);
    assert.match(discovery.stderr, /^error: You must be logged in to the server \(the server has asked for the client to provide credentials\)$/m);
  });

  test('the node-bootstrap token authenticates kubectl too', async () => {
    const result = await run(join(binDir, 'kubectl.1.32'), ['api-versions'], await kubeconfigWithToken(bootstrapToken));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^apps\/v1$/m);
  });
});
