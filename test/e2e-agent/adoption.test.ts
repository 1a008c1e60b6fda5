// kill -9 of `peapod server` (its embedded agent dies with it) while pods run: the pods keep
// running, and the restarted agent adopts them as the kubelet does after a restart — same
// container IDs, restart counts kept, a container that died meanwhile noticed and restarted,
// and a pod deleted meanwhile cleaned up.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathExists } from '../../src/util/fs.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { createPods, getPod, getPods, httpGet, pod, runcList, runcState, runtimeId, untilTerm, waitRunning } from './support.ts';

const peapod = resolve(import.meta.dirname, '../../bin/peapod');

describe('agent restart after kill -9', () => {
  let server: TestServer;

  before(async () => {
    server = await startServer({ agent: true });
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--wait=true', '--timeout=30s']);
    await server.stop();
  });

  test('running pods survive and are adopted; a container killed meanwhile restarts; a pod deleted meanwhile is cleaned up', async () => {
    const web = untilTerm('mkdir -p /tmp/www && echo served-by-web > /tmp/www/index.html && httpd -f -p 8080 -h /tmp/www &');
    await createPods(server, [
      pod('web', [{ name: 'httpd', image: 'busybox', command: web }]),
      pod('victim', [{ name: 'sleeper', image: 'busybox', command: untilTerm('echo started;') }]),
      pod('doomed', [{ name: 'sleeper', image: 'busybox', command: untilTerm() }]),
    ]);
    const running = await waitRunning(server, ['web', 'victim', 'doomed']);
    const containerId = (name: string) => runtimeId(running.get(name)?.status?.containerStatuses?.[0]?.containerID);
    const [webId, victimId, doomedId] = [containerId('web'), containerId('victim'), containerId('doomed')];
    const doomedUid = running.get('doomed')?.metadata?.uid ?? '';
    const webUrl = `http://${running.get('web')?.status?.podIP}:8080/`;
    await eventually('web serving from its pod IP', async () => (await httpGet(webUrl)).trim(), 20_000);
    const doomedSandbox = await sandboxOf(server.dataDir, doomedId);
    const clusterCidr = await clusterCidrOf(server.pid);

    await server.kill9();

    const whileDown = new Map((await runcList(server.dataDir)).map((c) => [c.id, c.status]));
    for (const id of [webId, victimId, doomedId]) assert.equal(whileDown.get(id), 'running', `container ${id} keeps running without the agent`);
    assert.equal((await httpGet(webUrl)).trim(), 'served-by-web', 'the pod IP still answers while the agent is down');

    const victimPid = (await runcState(server.dataDir, victimId)).pid;
    process.kill(victimPid, 'SIGKILL');
    await eventually(`container ${victimId} stopped after kill -9 of pid ${victimPid}`, async () =>
      (await runcState(server.dataDir, victimId)).status === 'stopped' ? true : undefined);

    // The API server alone (no agent) on the same data dir and port: the pod is deleted while
    // its node is down, as when a node is offline and an operator force-deletes its pods.
    await withApiServerOnly(server, clusterCidr, async () => {
      const deleted = await kubectl(server, ['delete', 'pod', 'doomed', '--grace-period=0', '--force']);
      assert.equal(deleted.code, 0, deleted.stderr);
    });

    await server.restart();

    const adopted = await eventually('victim restarted once by the adopting agent', async () => {
      const victim = await getPod(server, 'victim');
      const status = victim.status?.containerStatuses?.[0];
      return status?.restartCount === 1 && status.state?.running ? victim : undefined;
    }, 30_000);
    const victimStatus = adopted.status?.containerStatuses?.[0];
    assert.equal(victimStatus?.lastState?.terminated?.exitCode, 137);
    assert.equal(victimStatus?.lastState?.terminated?.reason, 'Error');
    assert.equal(victimStatus?.lastState?.terminated?.containerID, `runc://${victimId}`);
    assert.notEqual(victimStatus?.containerID, `runc://${victimId}`, 'the restarted container is a new one');
    assert.equal(adopted.status?.phase, 'Running');

    // Both attempts' logs stay readable through the restarted agent: the current one and --previous.
    for (const args of [['logs', 'victim'], ['logs', 'victim', '--previous']]) {
      const logs = await eventually(`kubectl ${args.join(' ')}`, async () => {
        const result = await kubectl(server, args);
        return result.code === 0 && result.stdout !== '' ? result : undefined;
      }, 10_000);
      assert.equal(logs.stdout, 'started\n', `kubectl ${args.join(' ')}`);
    }

    const webAfter = await getPod(server, 'web');
    const webStatus = webAfter.status?.containerStatuses?.[0];
    assert.equal(webStatus?.containerID, `runc://${webId}`, 'the surviving container is adopted, not recreated');
    assert.equal(webStatus?.restartCount, 0);
    assert.equal(webStatus?.lastState?.terminated, undefined);
    assert.ok(webStatus?.state?.running, `web is running: ${JSON.stringify(webStatus?.state)}`);
    assert.equal(webStatus?.ready, true);
    assert.equal((await httpGet(webUrl)).trim(), 'served-by-web');

    assert.deepEqual((await getPods(server)).map((p) => p.metadata?.name).sort(), ['victim', 'web']);
    await eventually('the doomed pod cleaned up from the runtime and the disk', async () => {
      const ids = new Set((await runcList(server.dataDir)).map((c) => c.id));
      const left = [doomedId, doomedSandbox].filter((id) => ids.has(id));
      const files = [
        join(server.dataDir, 'agent', 'pods', doomedUid), runtimeRecord(server.dataDir, 'sandboxes', doomedSandbox),
        runtimeRecord(server.dataDir, 'containers', doomedId),
      ];
      const present = (await Promise.all(files.map(pathExists))).some(Boolean);
      const logs = (await readdir(join(server.dataDir, 'agent', 'logs'))).filter((dir) => dir.includes(doomedUid));
      return left.length === 0 && !present && logs.length === 0 ? true : undefined;
    }, 30_000);

    // Each start of the victim's container is an event of its own making: the first one and the restart.
    const events = await kubectl(server, ['get', 'events', '--field-selector', 'involvedObject.name=victim', '-o', 'json']);
    assert.equal(events.code, 0, events.stderr);
    const items = (JSON.parse(events.stdout) as { items: { reason?: string; count?: number }[] }).items;
    const started = items.filter((e) => e.reason === 'Started').reduce((sum, e) => sum + (e.count ?? 1), 0);
    assert.equal(started, 2, `Started events of victim: ${JSON.stringify(items.map((e) => [e.reason, e.count]))}`);
  });
});

/** The sandbox a container runs in, from the runtime's record of it. */
async function sandboxOf(dataDir: string, containerId: string): Promise<string> {
  const record = JSON.parse(await readFile(runtimeRecord(dataDir, 'containers', containerId, 'process.json'), 'utf8')) as { sandboxId?: string };
  if (!record.sandboxId) throw new Error(`container ${containerId}: no sandboxId in its process record`);
  return record.sandboxId;
}

function runtimeRecord(dataDir: string, ...path: string[]): string {
  return join(dataDir, 'agent', 'runtime', ...path);
}

async function clusterCidrOf(pid: number | undefined): Promise<string> {
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  const cidr = args[args.indexOf('--cluster-cidr') + 1];
  if (!args.includes('--cluster-cidr') || cidr === undefined) throw new Error(`server ${pid} has no --cluster-cidr`);
  return cidr;
}

/** Runs `body` against `peapod server --no-agent` on the test server's data dir and port. */
async function withApiServerOnly(server: TestServer, clusterCidr: string, body: () => Promise<void>): Promise<void> {
  const child = spawn(peapod, ['server', '--data-dir', server.dataDir, '--bind-address', '127.0.0.1', '--port', String(server.port), '--no-agent', '--cluster-cidr', clusterCidr], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  try {
    await new Promise<void>((ready, fail) => {
      createInterface({ input: child.stdout }).on('line', (line) => line.startsWith('peapod server: admin kubeconfig at') && ready());
      void exited.then((code) => fail(new Error(`peapod server --no-agent exited (${code}): ${stderr}`)));
    });
    await body();
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
