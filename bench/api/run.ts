// npm run bench:api — the API server on SQLite and on etcd, each case beside its lower bound,
// then the real server process's memory. Writes bench/out/api-<date>.json and rewrites the
// results section of bench/README.md. `--quick` runs small sizes and leaves the README alone.
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './log.ts';
import { updateReadme, writeResults, type RunResults } from './report.ts';
import { measureServerRss } from './rss.ts';
import { runSuite, type SuiteOptions } from './suite.ts';

const benchDir = resolve(import.meta.dirname, '..');

const full: SuiteOptions = {
  caseMs: 5_000,
  warmupMs: 500,
  listPods: 10_000,
  listRuns: 5,
  watchers: 100,
  watchWrites: 200,
  watchIntervalMs: 10,
  getLowerBound: false,
};
const quick: SuiteOptions = { ...full, caseMs: 1_000, warmupMs: 200, listPods: 1_000, listRuns: 3, watchers: 20, watchWrites: 40 };

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } }, strict: true });
  const options = values.quick ? quick : full;
  const started = performance.now();
  // Other work on the machine skews every number: the load average goes into the results.
  const loadBefore = loadavg()[0]!;
  const date = new Date().toISOString();
  const suites = [await runSuite('sqlite', { ...options, getLowerBound: true }), await runSuite('etcd', options)];
  const rss = [];
  for (const kind of ['sqlite', 'etcd'] as const) {
    log(`${kind}: server process RSS`);
    rss.push(await measureServerRss(kind, { idleMs: 3_000, listPods: options.listPods }));
  }
  const { getLowerBound: _, ...reported } = options;
  const results: RunResults = {
    date,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? 'unknown', node: process.version, loadBefore, loadAfter: loadavg()[0]! },
    options: reported,
    suites,
    rss,
    durationS: (performance.now() - started) / 1000,
  };
  const path = await writeResults(benchDir, results);
  log(`results in ${path}`);
  if (!values.quick) await updateReadme(benchDir, results);
}

main().then(
  // Stray keep-alive sockets or etcd client timers must not hold the run open.
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench:api: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(1);
  },
);
