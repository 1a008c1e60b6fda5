// npm run bench:streaming — port-forward throughput and exec latency through the real kubectl
// (1.27: SPDY/3.1; 1.32: WebSocket), each beside the same thing done directly on the node in the
// same run (a download from the pod's IP; `runc exec` of the same container). Writes
// bench/out/streaming-<date>.json and the streaming section of bench/README.md. `--quick` runs
// fewer rounds and leaves the README alone.
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { kubectl, type KubectlTarget } from '../../test/support/kubectl.ts';
import { startServer } from '../../test/support/server.ts';
import { startTestRegistry } from '../../test/support/images.ts';
import { eventually } from '../../test/support/wait.ts';
import { log } from '../api/log.ts';
import { measureExec } from './exec.ts';
import { measurePortForward } from './portforward.ts';
import { machineFacts } from '../results.ts';
import { updateStreamingReadme, writeStreamingResults, type StreamingResults } from './report.ts';

const benchDir = resolve(import.meta.dirname, '..');
const fileMiB = 64;
const versions = ['1.27', '1.32'] as const;

/** busybox httpd serving a file of fileMiB on 8080. */
const webPod: Pod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' },
  spec: {
    terminationGracePeriodSeconds: 0,
    containers: [{ name: 'web', image: 'busybox', command: ['sh', '-c', `mkdir -p /www && head -c ${fileMiB * 1024 * 1024} /dev/zero > /www/big && exec httpd -f -p 8080 -h /www`] }],
  },
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const registry = await startTestRegistry();
  process.env.PEAPOD_TEST_REGISTRY = registry.host;
  const server = await startServer({ agent: true });
  try {
    const pod = await startWebPod(server);
    const date = new Date().toISOString();
    const byVersion: StreamingResults['byVersion'] = [];
    for (const version of versions) {
      const target = { kubeconfig: server.kubeconfig, cacheDir: `${server.cacheDir}-${version}`, pid: server.pid };
      log(`kubectl ${version}: port-forward throughput beside direct downloads`);
      const throughput = await measurePortForward(target, version, pod.ip, 'big', values.quick ? 1 : 5);
      log(`kubectl ${version}: exec round trips beside runc exec`);
      const exec = await measureExec(target, version, { root: join(server.dataDir, 'agent', 'runtime', 'runc'), containerId: pod.containerId }, values.quick ? 5 : 40);
      byVersion.push({ version, throughput, exec });
    }
    const results: StreamingResults = { date, machine: machineFacts(loadBefore), fileMiB, byVersion, durationS: (performance.now() - started) / 1000 };
    const path = await writeStreamingResults(benchDir, results);
    log(`results in ${path}`);
    if (!values.quick) await updateStreamingReadme(benchDir, results);
  } finally {
    await kubectl(server, ['delete', 'pod', 'web', '--grace-period=0'], { timeoutMs: 60_000 }).catch(() => undefined);
    await server.stop();
    await registry.stop();
  }
}

/** The web pod Running with its file served: its IP and runc container id. */
async function startWebPod(server: KubectlTarget): Promise<{ ip: string; containerId: string }> {
  log('web pod');
  const created = await kubectl(server, ['create', '-f', '-'], { input: JSON.stringify(webPod) });
  if (created.code !== 0) throw new Error(`kubectl create: ${created.stderr}`);
  return eventually('web serving its file', async () => {
    const pod = JSON.parse((await kubectl(server, ['get', 'pod', 'web', '-o', 'json'])).stdout) as Pod;
    const ip = pod.status?.podIP;
    const containerId = /^runc:\/\/(.+)$/.exec(pod.status?.containerStatuses?.[0]?.containerID ?? '')?.[1];
    if (!ip || !containerId) return undefined;
    const response = await fetch(`http://${ip}:8080/big`, { method: 'HEAD' });
    return response.ok && Number(response.headers.get('content-length')) === fileMiB * 1024 * 1024 ? { ip, containerId } : undefined;
  }, 120_000, 500);
}

await main();
