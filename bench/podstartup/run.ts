// npm run bench:pods — pod startup through the whole Kubernetes path (kubectl's API, scheduler,
// agent, runc) beside the lower bound made by hand with runc and the peer (Debian's podman, `podman
// kube play` of the same manifests, where scripts/setup-bench installed it) in the same run, then
// the footprint of 100 pods. Writes bench/out/pods-<date>.json and the pods section of
// bench/README.md. `--quick` runs 5 pods per case and leaves the README alone.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from '../api/log.ts';
import { withBenchNode } from '../node.ts';
import { machineFacts, writeResultsFile } from '../results.ts';
import { measureFootprint } from './footprint.ts';
import { measurePodman, podmanVersion, type PodmanResult } from './podman.ts';
import { measureRawRunc, type RawResult } from './raw.ts';
import { updatePodsReadme, type PodsResults } from './report.ts';
import { measureStartup, type StartupResult } from './startup.ts';

const benchDir = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const count = values.quick ? 5 : 50;
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const podman = await podmanVersion();
  const results = await withBenchNode(async ({ client, server, registryHost }): Promise<PodsResults> => {
    log('warm-up: image pull');
    await measureStartup(client, 1, 'sequential', 1);
    const startup: StartupResult[] = [];
    const raw: RawResult[] = [];
    const peer: PodmanResult[] = [];
    for (const containers of [1, 2]) {
      for (const mode of ['sequential', 'concurrent'] as const) {
        log(`${containers}-container pods, ${count} ${mode}`);
        startup.push(await measureStartup(client, containers, mode, count));
        log(`raw runc bound, ${containers} containers, ${count} ${mode}`);
        raw.push(await measureRawRunc(containers, mode, count));
      }
      if (podman === undefined) continue;
      log(`podman ${podman} kube play and down, ${containers} containers, ${count} sequential`);
      peer.push(await measurePodman(registryHost, containers, count));
    }
    // The server's first start compiled its sources (Node's TypeScript stripper, ~30 MiB that a
    // started server keeps); a restart runs from the compile cache, as every later start does.
    await server.restart();
    log('footprint of 100 pods');
    const footprint = await measureFootprint(client, server.pid ?? 0, server.dataDir, values.quick ? 10 : 100);
    return {
      date: new Date().toISOString(), machine: machineFacts(loadBefore), count, startup, raw, podman: peer, podmanVersion: podman,
      footprint, durationS: (performance.now() - started) / 1000,
    };
  });
  log(`results in ${await writeResultsFile(benchDir, 'pods', results)}`);
  if (!values.quick) await updatePodsReadme(benchDir, results);
}

await main();
