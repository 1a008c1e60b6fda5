// A real registry for image tests: Debian's docker-registry (distribution v2) on 127.0.0.1, with a
// temp config and storage, and a push over the registry's HTTP API from an OCI image layout.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLayoutBlob, readLayoutIndex } from '../../src/agent/images/oci/layout.ts';
import { mediaTypes, type ImageManifest } from '../../src/agent/images/oci/types.ts';

export interface TestRegistry {
  host: string; // 127.0.0.1:PORT
  url: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  // Token auth as Docker Hub does it; the registry trusts tokens signed for this certificate.
  token?: { realm: string; service: string; issuer: string; certificatePem: string };
  // Basic auth from an htpasswd file (bcrypt, made with perl's crypt(3) from libxcrypt).
  htpasswd?: Record<string, string>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export async function startRegistry(options: RegistryOptions = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'peapod-registry-'));
  const port = await freePort();
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', accesslog: { disabled: true } },
    storage: { filesystem: { rootdirectory: join(dir, 'storage') }, delete: { enabled: true } },
    http: { addr: `127.0.0.1:${port}` },
  };
  if (options.token !== undefined) {
    writeFileSync(join(dir, 'token.pem'), options.token.certificatePem);
    config.auth = {
      token: {
        realm: options.token.realm,
        service: options.token.service,
        issuer: options.token.issuer,
        rootcertbundle: join(dir, 'token.pem'),
      },
    };
  }
  if (options.htpasswd !== undefined) {
    writeFileSync(join(dir, 'htpasswd'), Object.entries(options.htpasswd).map(([user, password]) => `${user}:${bcrypt(password)}\n`).join(''));
    config.auth = { htpasswd: { realm: 'peapod-test', path: join(dir, 'htpasswd') } };
  }
  // YAML is a superset of JSON.
  writeFileSync(join(dir, 'config.yml'), JSON.stringify(config));
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(`${url}/v2/`, child);
  } catch (error) {
    await stop();
    throw new Error(`docker-registry did not start: ${(error as Error).message}\n${stderr}`);
  }
  return { host: `127.0.0.1:${port}`, url, stop };
}

function bcrypt(password: string): string {
  const alphabet = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const salt = Array.from(randomBytes(22), (byte) => alphabet[byte % 64]).join('').replace(/.$/, 'e');
  const made = spawnSync('perl', ['-e', 'print crypt($ARGV[0], $ARGV[1])', password, `$2b$05$${salt}`], { encoding: 'utf8' });
  if (made.status !== 0 || !made.stdout.startsWith('$2b$')) throw new Error(`bcrypt via perl failed: ${made.stderr}${made.stdout}`);
  return made.stdout;
}

async function waitReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('timed out');
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

// Uploads every blob of the layout's image(s) and tags the manifest (or, with asIndex, the
// layout's index) as repo:tag. `authorization` is sent as is when the registry wants auth.
export async function push(registry: TestRegistry, layout: string, reference: string, options: { asIndex?: boolean; authorization?: string } = {}): Promise<void> {
  const [repo, tag] = reference.split(':');
  const headers: Record<string, string> = options.authorization ? { authorization: options.authorization } : {};
  const index = readLayoutIndex(layout);
  for (const descriptor of index.manifests) {
    const manifestBytes = readLayoutBlob(layout, descriptor.digest);
    const manifest = JSON.parse(manifestBytes.toString()) as ImageManifest;
    for (const blob of [manifest.config, ...manifest.layers]) {
      await uploadBlob(registry, repo, blob.digest, readLayoutBlob(layout, blob.digest), headers);
    }
    await putManifest(registry, repo, descriptor.digest, descriptor.mediaType, manifestBytes, headers);
    if (!options.asIndex) await putManifest(registry, repo, tag, descriptor.mediaType, manifestBytes, headers);
  }
  if (options.asIndex) {
    await putManifest(registry, repo, tag, mediaTypes.ociIndex, Buffer.from(JSON.stringify(index)), headers);
  }
}

async function uploadBlob(registry: TestRegistry, repo: string, digest: string, data: Buffer, headers: Record<string, string>): Promise<void> {
  const head = await fetch(`${registry.url}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers });
  if (head.status === 200) return;
  const start = await fetch(`${registry.url}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers });
  const location = start.headers.get('location');
  if (start.status !== 202 || location === null) throw new Error(`upload start for ${digest}: HTTP ${start.status} ${await start.text()}`);
  const target = new URL(location, registry.url);
  target.searchParams.set('digest', digest);
  const done = await fetch(target, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/octet-stream' },
    body: new Uint8Array(data),
  });
  if (done.status !== 201) throw new Error(`upload of ${digest}: HTTP ${done.status} ${await done.text()}`);
}

async function putManifest(registry: TestRegistry, repo: string, reference: string, mediaType: string, body: Buffer, headers: Record<string, string>): Promise<void> {
  const response = await fetch(`${registry.url}/v2/${repo}/manifests/${reference}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': mediaType },
    body: new Uint8Array(body),
  });
  if (response.status !== 201) throw new Error(`manifest ${repo}:${reference}: HTTP ${response.status} ${await response.text()}`);
}
