// A token server as Docker Hub's auth.docker.io behaves: GET ?service&scope, optional Basic
// credentials, answers {"token"} signed with a throwaway certificate the registry trusts; or, as
// OAuth2 servers do, POST grant_type=refresh_token with an identity token, answers {"access_token"}.
import { spawnSync } from 'node:child_process';
import { createSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certificatePem: string;
  requests: { scope: string | null; user: string | null }[];
  // A token for push, as the test's own uploads need one.
  token(scope: string): string;
  stop(): Promise<void>;
}

export async function startTokenServer(users: Record<string, string>, refreshTokens: Record<string, string> = {}): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'peapod-token-'));
  let certificatePem: string;
  let keyPem: string;
  try {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
      '-out', join(dir, 'cert.pem'), '-subj', '/CN=peapod-test-token', '-days', '1'], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
    certificatePem = readFileSync(join(dir, 'cert.pem'), 'utf8');
    keyPem = readFileSync(join(dir, 'key.pem'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const x5c = new X509Certificate(certificatePem).raw.toString('base64');
  const service = 'peapod-test-registry';
  const issuer = 'peapod-test-issuer';
  const sign = (scope: string, subject: string): string => {
    const [type, name, actions] = scope.split(':');
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', x5c: [x5c] };
    const claims = {
      iss: issuer, sub: subject, aud: service, iat: now, nbf: now - 10, exp: now + 300, jti: String(Math.random()),
      access: [{ type, name, actions: actions.split(',') }],
    };
    const input = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(keyPem).toString('base64url')}`;
  };
  const requests: TokenServer['requests'] = [];
  const server = createServer((request, response) => {
    if (request.method === 'POST') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const form = new URLSearchParams(body);
        const user = form.get('grant_type') === 'refresh_token' ? refreshTokens[form.get('refresh_token') ?? ''] ?? null : null;
        const scope = form.get('scope');
        requests.push({ scope, user });
        if (user === null || scope === null) response.writeHead(401).end('{"error":"invalid_grant"}');
        else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: sign(scope, user) }));
      });
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const scope = url.searchParams.get('scope');
    const user = basicUser(request.headers.authorization, users);
    requests.push({ scope, user });
    if (user === null || scope === null) {
      response.writeHead(401).end('{"details":"incorrect username or password"}');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: sign(scope, user) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  return {
    realm: `http://127.0.0.1:${address.port}/token`,
    service,
    issuer,
    certificatePem,
    requests,
    token: (scope) => sign(scope, 'pusher'),
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function b64(text: string): string {
  return Buffer.from(text).toString('base64url');
}

function basicUser(header: string | undefined, users: Record<string, string>): string | null {
  if (header === undefined || !header.startsWith('Basic ')) return null;
  const [user, password] = Buffer.from(header.slice(6), 'base64').toString().split(':');
  return users[user] === password ? user : null;
}
