// npm run bench:lifecycle — the pod lifecycle's timings on a real node beside what the Kubernetes
// spec asks: liveness failure → restarted container running, and delete → pod gone for a container
// that exits on SIGTERM and for one that ignores it. Writes bench/out/lifecycle-<date>.json and the
// lifecycle section of bench/README.md. `--quick` runs 3 pods per case and leaves the README alone.
import { cpus, loadavg } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import { startServer } from '../../test/support/server.ts';
import { startTestRegistry } from '../../test/support/images.ts';
import { log } from '../api/log.ts';
import { measureStartup } from '../podstartup/startup.ts';
import { measureDeletion } from './deletion.ts';
import { measureLiveness } from './liveness.ts';
import { updateLifecycleReadme, type LifecycleResults } from './report.ts';

const benchDir = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const count = values.quick ? 3 : 20;
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const registry = await startTestRegistry();
  process.env.PEAPOD_TEST_REGISTRY = registry.host;
  const server = await startServer({ agent: true });
  const client = new RestClient(await loadKubeconfig(server.kubeconfig));
  try {
    log('warm-up: image pull');
    await measureStartup(client, 1, 'sequential', 1);
    log(`liveness failure → restarted, ${count} pods`);
    const liveness = await measureLiveness(client, count);
    log(`delete → gone, SIGTERM-exiting containers, ${count} pods`);
    const exiting = await measureDeletion(client, 'exits on SIGTERM', 30, count);
    log(`delete → gone, SIGTERM-ignoring containers, grace 2 s, ${count} pods`);
    const ignoring = await measureDeletion(client, 'ignores SIGTERM', 2, count);
    const results: LifecycleResults = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadBefore, loadAfter: loadavg()[0]! },
      count, liveness, deletion: [exiting, ignoring], durationS: (performance.now() - started) / 1000,
    };
    const out = join(benchDir, 'out');
    await mkdir(out, { recursive: true });
    const path = join(out, `lifecycle-${results.date.slice(0, 19).replaceAll(':', '-')}.json`);
    await writeFile(path, JSON.stringify(results, null, 2) + '\n');
    log(`results in ${path}`);
    if (!values.quick) await updateLifecycleReadme(benchDir, results);
  } finally {
    client.close();
    await server.stop();
    await registry.stop();
  }
}

await main();
