// Real kubectl against a tiny HTTP server that serves version, legacy discovery and peapod's
// OpenAPI: `kubectl explain` must find the kinds and print their fields and descriptions.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serveOpenAPI } from '../../src/api/openapi/handler.ts';

function kubectlDir(): string | undefined {
  try {
    const found = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    return found ? dirname(realpathSync(found)) : undefined;
  } catch {
    return undefined;
  }
}

const dir = kubectlDir();
const kubectl132 = dir && join(dir, 'kubectl.1.32');
const kubectl127 = dir && join(dir, 'kubectl.1.27');

const discovery: Record<string, unknown> = {
  '/version': { major: '1', minor: '32', gitVersion: 'v1.32.0', platform: 'linux/amd64' },
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] },
  '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
    preferredVersion: { groupVersion: 'apps/v1', version: 'v1' } }] },
  '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [
    { name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'patch'], shortNames: ['po'] }] },
  '/apis/apps/v1': { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'apps/v1', resources: [
    { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['get', 'list', 'patch'], shortNames: ['deploy'] }] },
};

describe('kubectl explain against peapod OpenAPI', { skip: !kubectl132 || !existsSync(kubectl132) ? 'kubectl.1.32 not installed' : false }, () => {
  let server: Server;
  let work: string;
  let kubeconfig: string;
  const creates: string[] = [];
  const patches: { contentType: string; body: string }[] = [];
  let stored: string | undefined;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'peapod-explain-'));
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const known = discovery[url.pathname];
      if (known) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(known));
        return;
      }
      if (url.pathname.startsWith('/api/v1/namespaces/default/pods')) {
        let body = '';
        req.on('data', (chunk: Buffer) => { body += chunk.toString(); });
        req.on('end', () => {
          if (req.method === 'POST') {
            creates.push(url.search);
            stored = body;
            res.writeHead(201, { 'content-type': 'application/json' }).end(body);
          } else if (req.method === 'PATCH') {
            patches.push({ contentType: String(req.headers['content-type']), body });
            res.writeHead(200, { 'content-type': 'application/json' }).end(stored);
          } else if (stored) {
            res.writeHead(200, { 'content-type': 'application/json' }).end(stored);
          } else {
            res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1',
              metadata: {}, status: 'Failure', message: 'pods "web" not found', reason: 'NotFound', details: { name: 'web', kind: 'pods' }, code: 404 }));
          }
        });
        return;
      }
      const answer = serveOpenAPI({ path: url.pathname, query: url.searchParams, headers: req.headers });
      if (!answer) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
        return;
      }
      res.writeHead(answer.status, answer.headers).end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    kubeconfig = join(work, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: test',
      'clusters:', '- name: test', '  cluster:', `    server: http://127.0.0.1:${address.port}`,
      'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test',
      'users:', '- name: test', '  user: {}', '',
    ].join('\n'));
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(work, { recursive: true, force: true });
  });

  let lastStderr = '';

  function run(binary: string, ...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(binary, [...args, '--kubeconfig', kubeconfig, '--cache-dir', join(work, `cache-${args.join('_')}`)],
        { timeout: 60_000, env: { ...process.env, HOME: work } }, (error, stdout, stderr) => {
          if (error) reject(new Error(`${binary} ${args.join(' ')} failed: ${stderr || error.message}`));
          else {
            lastStderr = stderr;
            resolve(stdout);
          }
        });
    });
  }

  const lines = (out: string): string[] => out.split('\n').map((l) => l.trimEnd());

  test('1.32 explain pod.spec.containers (OpenAPI v3)', async () => {
    const out = lines(await run(kubectl132!, 'explain', 'pod.spec.containers'));
    assert.ok(out.includes('KIND:       Pod'), out.join('\n'));
    assert.ok(out.includes('VERSION:    v1'), out.join('\n'));
    assert.ok(out.includes('FIELD: containers <[]Container>'), out.join('\n'));
    assert.ok(out.some((l) => l.includes('List of containers belonging to the pod.')), out.join('\n'));
    assert.ok(out.includes('  name\t<string> -required-'), out.join('\n'));
    assert.ok(out.includes('  imagePullPolicy\t<string>'), out.join('\n'));
    assert.ok(out.includes('  ports\t<[]ContainerPort>'), out.join('\n'));
  });

  test('1.32 explain deployment.spec.replicas', async () => {
    const out = lines(await run(kubectl132!, 'explain', 'deployment.spec.replicas'));
    assert.ok(out.includes('GROUP:      apps'), out.join('\n'));
    assert.ok(out.includes('KIND:       Deployment'), out.join('\n'));
    assert.ok(out.includes('FIELD: replicas <integer>'), out.join('\n'));
    assert.ok(out.some((l) => l.includes('Number of desired pods.')), out.join('\n'));
  });

  // 1.27 explains from v3 by default; --output=plaintext-openapiv2 makes it read the v2 protobuf.
  test('1.27 explain pod.spec.containers (OpenAPI v2 protobuf)', { skip: !kubectl127 || !existsSync(kubectl127) ? 'kubectl.1.27 not installed' : false }, async () => {
    const out = lines(await run(kubectl127!, 'explain', 'pod.spec.containers', '--output=plaintext-openapiv2'));
    assert.ok(out.includes('KIND:     Pod'), out.join('\n'));
    assert.ok(out.includes('RESOURCE: containers <[]Object>'), out.join('\n'));
    assert.ok(out.some((l) => l.includes('List of containers belonging to the pod.')), out.join('\n'));
    assert.ok(out.some((l) => /^\s+name\s+<string> -required-$/.test(l)), out.join('\n'));
  });

  // Validation: finding fieldValidation on the Pod PATCH operation, kubectl leaves checks to the server.
  for (const [version, binary] of [['1.32', kubectl132], ['1.27', kubectl127]] as const) {
    test(`${version} create -f sends fieldValidation=Strict`, { skip: !binary || !existsSync(binary) ? `kubectl.${version} not installed` : false }, async () => {
      const manifest = join(work, `pod-${version}.yaml`);
      writeFileSync(manifest, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagePullPolicyy: Always\n');
      creates.length = 0;
      stored = undefined;
      const out = await run(binary!, 'create', '-f', manifest, '-n', 'default');
      assert.match(out, /pod\/web created/);
      assert.equal(creates.length, 1);
      assert.match(creates[0]!, /fieldValidation=Strict/);
    });
  }

  // With merge keys in the v3 schemas, client-side apply computes its strategic merge patch from them.
  test('1.32 apply -f of a changed pod sends a strategic merge patch without warnings', async () => {
    const manifest = join(work, 'apply.yaml');
    const pod = (image: string): string => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: ${image}\n  - name: d\n    image: busybox\n`;
    stored = undefined;
    patches.length = 0;
    writeFileSync(manifest, pod('nginx:1'));
    assert.match(await run(kubectl132!, 'apply', '-f', manifest, '-n', 'default'), /pod\/web created/);
    writeFileSync(manifest, pod('nginx:2'));
    assert.match(await run(kubectl132!, 'apply', '-f', manifest, '-n', 'default'), /pod\/web configured/);
    assert.equal(lastStderr, '');
    assert.equal(patches.length, 1);
    assert.equal(patches[0]!.contentType, 'application/strategic-merge-patch+json');
    const patch = JSON.parse(patches[0]!.body) as { spec: Record<string, unknown> };
    assert.deepEqual(patch.spec.containers, [{ image: 'nginx:2', name: 'c' }]);
    assert.deepEqual(patch.spec['$setElementOrder/containers'], [{ name: 'c' }, { name: 'd' }]);
  });
});
