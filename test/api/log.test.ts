// pods/log end to end in one process: the API server, a node agent's HTTPS server with a fake
// lookup over crafted CRI files, a Node pointing at it and pods bound to that node — driven by
// the real kubectl (`kubectl logs` and its flags, -f, the error cases) and by raw requests for
// what kubectl checks on its own side.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import { startAgentServer, type AgentRoute, type AgentServer } from '../../src/agent/server/server.ts';
import { containerLogsRoute } from '../../src/agent/server/container_logs.ts';
import { containerLogErrors } from '../../src/agent/server/errors.ts';
import type { ContainerLogLookup } from '../../src/agent/server/lookup.ts';
import { ensureServingCertificate } from '../../src/agent/server/serving_cert.ts';
import { kubectl, kubectlSpawn, type KubectlTarget } from '../support/kubectl.ts';
import { eventually } from '../support/wait.ts';

const pods = '/api/v1/namespaces/default/pods';

describe('pods/log through the node agent', () => {
  let dir: string;
  let api: ApiServer;
  let agent: AgentServer;
  let client: RestClient;
  let target: KubectlTarget;
  let following = false;
  let activeStreams = 0;
  const files = new Map<string, string>(); // "pod/container" → log file
  const now = Date.now();
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString().replace('Z', '123Z');

  const lookup: ContainerLogLookup = async ({ podName, containerName }) => {
    if (podName === 'starting') return containerLogErrors.waiting(podName, containerName, 'ContainerCreating');
    const path = files.get(`${podName}/${containerName}`);
    if (!path) return containerLogErrors.containerNotFound(podName, containerName);
    return { path, isRunning: () => following };
  };

  /** The containerLogs route, counting the streams it is serving. */
  function countingRoute(route: AgentRoute): AgentRoute {
    return {
      ...route,
      serve: async (call, res) => {
        activeStreams++;
        try {
          await route.serve?.(call, res);
        } finally {
          activeStreams--;
        }
      },
    };
  }

  async function crafted(name: string, text: string): Promise<void> {
    const path = join(dir, 'logs', name.replace('/', '_'), '0.log');
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
    files.set(name, path);
  }

  async function boundPod(name: string, containers: string[], nodeName?: string): Promise<void> {
    await client.create<Pod>(pods, {
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { containers: containers.map((c) => ({ name: c, image: 'busybox' })) },
    });
    if (nodeName) {
      await client.create(`${pods}/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: nodeName } });
    }
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-podlog-'));
    api = await startApiServer({ dataDir: join(dir, 'server'), port: 0, bindAddress: '127.0.0.1', datastore: 'sqlite' });
    client = new RestClient(await loadKubeconfig(api.kubeconfigPath));
    await mkdir(join(dir, 'kubectl-cache'));
    target = { kubeconfig: api.kubeconfigPath, cacheDir: join(dir, 'kubectl-cache') };
    const clientCA = await readFile(join(dir, 'server', 'pki', 'ca.crt'), 'utf8');
    const serving = await ensureServingCertificate(join(dir, 'agent'), ['127.0.0.1']);
    agent = await startAgentServer({
      address: '127.0.0.1', port: 0, serving, clientCA,
      routes: [countingRoute(containerLogsRoute(lookup, { pollIntervalMs: 20 }))],
    });

    await crafted('p/app', `${at(7200)} stdout F two hours ago\n${at(60)} stdout P a minute\n${at(60)} stdout F  ago\n` +
      `${at(30)} stderr F half a minute ago\n${at(1)} stdout F just now\n`);
    await crafted('multi/a', `${at(5)} stdout F from a\n`);
    await crafted('multi/b', `${at(5)} stdout F from b\n`);
    await client.create<Node>('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await client.patch(`/api/v1/nodes/n1/status`, {
      status: { addresses: [{ type: 'Hostname', address: 'n1' }, { type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: agent.port } } },
    }, 'merge');
    await boundPod('p', ['app'], 'n1');
    await boundPod('multi', ['a', 'b'], 'n1');
    await boundPod('starting', ['app'], 'n1');
    await boundPod('pending', ['app']);
  });

  after(async () => {
    client.close();
    await agent.close();
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** A raw GET as the admin, for what kubectl does not show as is. */
  function raw(path: string): Promise<{ status: number; type: string; body: string }> {
    return new Promise((resolve, reject) => {
      const url = new URL(path, api.url);
      const req = request(url, { ca: api.loopback.ca, cert: api.loopback.cert, key: api.loopback.key }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  test('kubectl logs shows the container log, partial lines joined', async () => {
    const result = await kubectl(target, ['logs', 'p']);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, 'two hours ago\na minute ago\nhalf a minute ago\njust now\n');
    assert.equal((await kubectl(target, ['logs', 'p', '-c', 'app'])).stdout, result.stdout);
  });

  test('--tail, --timestamps, --limit-bytes, --since', async () => {
    assert.equal((await kubectl(target, ['logs', 'p', '--tail=2'])).stdout, 'half a minute ago\njust now\n');
    const stamped = (await kubectl(target, ['logs', 'p', '--tail=1', '--timestamps'])).stdout;
    assert.equal(stamped, `${at(1).replace('Z', '000Z')} just now\n`);
    assert.equal((await kubectl(target, ['logs', 'p', '--limit-bytes=5'])).stdout, 'two h');
    assert.equal((await kubectl(target, ['logs', 'p', '--since=1h'])).stdout, 'a minute ago\nhalf a minute ago\njust now\n');
  });

  test('kubectl logs -f keeps streaming; killing kubectl ends the agent stream', async () => {
    following = true;
    const run = kubectlSpawn(target, ['logs', '-f', 'p', '--tail=1']);
    try {
      await run.stdoutLines.take('the last line', (l) => l === 'just now');
      await appendFile(files.get('p/app')!, `${at(0)} stdout F appended\n`);
      await run.stdoutLines.take('the appended line', (l) => l === 'appended');
      assert.equal(activeStreams, 1);
    } finally {
      await run.kill();
      following = false;
    }
    await eventually('the agent to stop streaming', async () => (activeStreams === 0 ? true : undefined));
  });

  test('kubectl logs -f ends by itself when the container exits', async () => {
    const result = await kubectl(target, ['logs', '-f', 'multi', '-c', 'b']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, 'from b\n');
  });

  test('several containers: kubectl picks the first and says so; the server wants a name', async () => {
    const result = await kubectl(target, ['logs', 'multi']);
    assert.equal(result.stderr, 'Defaulted container "a" out of: a, b\n');
    assert.equal(result.stdout, 'from a\n');
    const answer = await raw(`${pods}/multi/log`);
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.body).message, 'a container name must be specified for pod multi, choose one of: [a b]');
  });

  test('error cases print kube-apiserver messages', async () => {
    const cases: [string[], string][] = [
      // kubectl checks the name itself, with the server's words.
      [['logs', 'p', '-c', 'nope'], 'error: container nope is not valid for pod p\n'],
      [['logs', 'starting'], 'Error from server (BadRequest): container "app" in pod "starting" is waiting to start: ContainerCreating\n'],
      [['logs', 'ghost'], 'error: error from server (NotFound): pods "ghost" not found in namespace "default"\n'],
    ];
    for (const [args, stderr] of cases) {
      const result = await kubectl(target, args);
      assert.equal(result.stderr, stderr, args.join(' '));
      assert.equal(result.code, 1);
    }
    const answer = await raw(`${pods}/p/log?container=nope`);
    assert.equal(answer.status, 400);
    assert.equal(JSON.parse(answer.body).message, 'container nope is not valid for pod p');
  });

  test('an unscheduled pod has no logs yet: an empty answer, as kube-apiserver gives', async () => {
    const result = await kubectl(target, ['logs', 'pending']);
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    assert.equal((await raw(`${pods}/pending/log`)).status, 204);
  });

  test('options are validated as PodLogOptions', async () => {
    const invalid = await raw(`${pods}/p/log?tailLines=-1&limitBytes=0`);
    assert.equal(invalid.status, 422);
    assert.equal(JSON.parse(invalid.body).message,
      'PodLogOptions "p" is invalid: [tailLines: Invalid value: -1: must be greater than or equal to 0, limitBytes: Invalid value: 0: must be greater than 0]');
    const both = await raw(`${pods}/p/log?sinceSeconds=5&sinceTime=2026-01-01T00:00:00Z`);
    assert.equal(JSON.parse(both.body).message, 'PodLogOptions "p" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified');
    const bad = await raw(`${pods}/p/log?tailLines=ten`);
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(bad.body).message, 'strconv.ParseInt: parsing "ten": invalid syntax');
    const ok = await raw(`${pods}/multi/log?container=b&tailLines=1`);
    assert.equal(ok.type, 'text/plain');
    assert.equal(ok.body, 'from b\n');
  });

  test('an agent that does not answer is a plain error', async () => {
    await client.create<Node>('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'gone' } });
    await client.patch('/api/v1/nodes/gone/status', { status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } } }, 'merge');
    await boundPod('orphan', ['app'], 'gone');
    const result = await kubectl(target, ['logs', 'orphan']);
    assert.equal(result.stderr, 'Error from server: Get "https://127.0.0.1:1/containerLogs/default/orphan/app": dial tcp 127.0.0.1:1: connect: connection refused\n');
  });

  test('discovery lists pods/log', async () => {
    const result = await kubectl(target, ['api-resources', '--no-headers', '-o', 'name']);
    assert.equal(result.code, 0);
    const answer = JSON.parse((await raw('/api/v1')).body) as { resources: { name: string; verbs: string[] }[] };
    assert.deepEqual(answer.resources.find((r) => r.name === 'pods/log')?.verbs, ['get']);
  });
});
