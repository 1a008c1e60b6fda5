// npm run bench:lifecycle — the pod lifecycle's timings on a real node beside what the Kubernetes
// spec asks: liveness failure → restarted container running, and delete → pod gone for a container
// that exits on SIGTERM and for one that ignores it. Writes bench/out/lifecycle-<date>.json and the
// lifecycle section of bench/README.md. `--quick` runs 3 pods per case and leaves the README alone.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from '../api/log.ts';
import { withBenchNode } from '../node.ts';
import { measureStartup } from '../podstartup/startup.ts';
import { machineFacts, writeResultsFile } from '../results.ts';
import { measureDeletion } from './deletion.ts';
import { measureLiveness } from './liveness.ts';
import { updateLifecycleReadme, type LifecycleResults } from './report.ts';

const benchDir = resolve(import.meta.dirname, '..');

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const count = values.quick ? 3 : 20;
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const results = await withBenchNode(async ({ client }): Promise<LifecycleResults> => {
    log('warm-up: image pull');
    await measureStartup(client, 1, 'sequential', 1);
    log(`liveness failure → restarted, ${count} pods`);
    const liveness = await measureLiveness(client, count);
    log(`delete → gone, SIGTERM-exiting containers, ${count} pods`);
    const exiting = await measureDeletion(client, 'exits on SIGTERM', 30, count);
    log(`delete → gone, SIGTERM-ignoring containers, grace 2 s, ${count} pods`);
    const ignoring = await measureDeletion(client, 'ignores SIGTERM', 2, count);
    return { date: new Date().toISOString(), machine: machineFacts(loadBefore), count, liveness, deletion: [exiting, ignoring], durationS: (performance.now() - started) / 1000 };
  });
  log(`results in ${await writeResultsFile(benchDir, 'lifecycle', results)}`);
  if (!values.quick) await updateLifecycleReadme(benchDir, results);
}

await main();
