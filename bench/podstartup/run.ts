// npm run bench:pods — pod startup through the whole Kubernetes path (kubectl's API, scheduler,
// agent, runc) beside the lower bound made by hand with runc in the same run, then the footprint
// of 100 pods. Writes bench/out/pods-<date>.json and the pods section of bench/README.md.
// `--quick` runs 5 pods per case and leaves the README alone.
import { cpus, loadavg } from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import { startServer } from '../../test/support/server.ts';
import { startTestRegistry } from '../../test/support/images.ts';
import { log } from '../api/log.ts';
import { measureFootprint } from './footprint.ts';
import { measureRawRunc } from './raw.ts';
import { updatePodsReadme, type PodsResults } from './report.ts';
import { measureStartup } from './startup.ts';

const benchDir = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const count = values.quick ? 5 : 50;
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const registry = await startTestRegistry();
  process.env.PEAPOD_TEST_REGISTRY = registry.host;
  const server = await startServer({ agent: true });
  const client = new RestClient(await loadKubeconfig(server.kubeconfig));
  try {
    log('warm-up: image pull');
    await measureStartup(client, 1, 'sequential', 1);
    const results: PodsResults = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadBefore, loadAfter: 0 },
      count, startup: [], raw: [], footprint: undefined, durationS: 0,
    };
    for (const containers of [1, 2]) {
      for (const mode of ['sequential', 'concurrent'] as const) {
        log(`${containers}-container pods, ${count} ${mode}`);
        results.startup.push(await measureStartup(client, containers, mode, count));
        log(`raw runc bound, ${containers} containers, ${count} ${mode}`);
        results.raw.push(await measureRawRunc(containers, mode, count));
      }
    }
    log('footprint of 100 pods');
    results.footprint = await measureFootprint(client, server.pid ?? 0, server.dataDir, values.quick ? 10 : 100);
    results.machine.loadAfter = loadavg()[0]!;
    results.durationS = (performance.now() - started) / 1000;
    const out = join(benchDir, 'out');
    await mkdir(out, { recursive: true });
    const path = join(out, `pods-${results.date.slice(0, 19).replaceAll(':', '-')}.json`);
    await writeFile(path, JSON.stringify(results, null, 2) + '\n');
    log(`results in ${path}`);
    if (!values.quick) await updatePodsReadme(benchDir, results);
  } finally {
    client.close();
    await server.stop();
    await registry.stop();
  }
}

await main();
