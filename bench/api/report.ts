// Results → bench/out/api-<date>.json and the markdown section of bench/README.md between
// <!-- api:begin --> and <!-- api:end -->.
//
// "ratio" is peapod's cost over the lower bound's: lower-bound throughput ÷ peapod throughput,
// or peapod time ÷ lower-bound time. 1× would be free; 4× means a quarter of the bound's rate.
import { measuredLine, targetsTable, updateReadmeSection, writeResultsFile, type Machine, type Target } from '../results.ts';
import type { CaseResult } from './load.ts';
import type { RssResult } from './rss.ts';
import { round } from './stats.ts';
import type { SuiteOptions, SuiteResult } from './suite.ts';

export interface RunResults {
  date: string;
  /** Load averages are the 1-minute ones at the start and the end of the run. */
  machine: Machine;
  options: Omit<SuiteOptions, 'getLowerBound'>;
  suites: SuiteResult[];
  rss: RssResult[];
  durationS: number;
}

export function writeResults(benchDir: string, results: RunResults): Promise<string> {
  return writeResultsFile(benchDir, 'api', results);
}

export function updateReadme(benchDir: string, results: RunResults): Promise<void> {
  return updateReadmeSection(benchDir, 'api', markdown(results));
}

export function markdown(results: RunResults): string {
  const { machine, options } = results;
  const lines = [
    measuredLine(results.date, machine, `${options.caseMs / 1000} s per throughput case, ${options.listRuns} LISTs per LIST case`, results.durationS),
    '',
    '| datastore | case | p50 | p99 | throughput | lower bound | ratio |',
    '|---|---|---|---|---|---|---|',
    ...results.suites.flatMap((suite) => caseRows(suite, results.suites[0]!.getLowerBound, options)),
    '',
    '| server process RSS | idle | after the LIST phase | peak (VmHWM) |',
    '|---|---|---|---|',
    ...results.rss.map((r) => `| ${r.datastore} | ${mib(r.idleMiB)} | ${mib(r.afterListMiB)} | ${mib(r.peakMiB)} |`),
    '',
    ...targetsTable(targets(results)),
    '',
  ];
  return lines.join('\n');
}

function caseRows(suite: SuiteResult, getBound: SuiteResult['getLowerBound'], options: RunResults['options']): string[] {
  const ds = suite.datastore;
  const pods = options.listPods.toLocaleString('en-US');
  const row = (name: string, c: CaseResult, unit: string, bound: string, ratio: string) =>
    `| ${ds} | ${name} | ${ms(c.latency.p50)} | ${ms(c.latency.p99)} | ${rate(c.throughput)} ${unit} | ${bound} | ${ratio} |`;
  const rateBound = (c: CaseResult | undefined, what: string, unit: string) => (c ? `${what} ${rate(c.throughput)} ${unit}` : '—');
  const rateRatio = (c: CaseResult, bound: CaseResult | undefined) => (bound ? times(bound.throughput / c.throughput) : '—');
  const timeRatio = (c: CaseResult, bound: CaseResult) => times(c.latency.p50 / bound.latency.p50);
  const { get, create, list, watch, seed } = suite;
  const storeList = `store.list + JSON.parse ${ms(list.lowerBound.latency.p50)}`;
  return [
    row('GET one pod, 1 client', get.c1, 'req/s', rateBound(getBound?.c1, 'bare https', 'req/s'), rateRatio(get.c1, getBound?.c1)),
    row('GET one pod, 16 clients', get.c16, 'req/s', rateBound(getBound?.c16, 'bare https', 'req/s'), rateRatio(get.c16, getBound?.c16)),
    row('create pod, 16 clients', create.api, 'creates/s', rateBound(create.lowerBound, 'store.create', '/s'), rateRatio(create.api, create.lowerBound)),
    row(`create ${pods} pods, 32 clients`, seed, 'creates/s', '—', '—'),
    row(`LIST ${pods} pods, JSON`, list.json, 'LIST/s', storeList, timeRatio(list.json, list.lowerBound)),
    row(`LIST ${pods} pods, Table`, list.table, 'LIST/s', storeList, timeRatio(list.table, list.lowerBound)),
    `| ${ds} | watch, ${watch.watchers} watchers, ${watch.writes} writes in ${(watch.writes * options.watchIntervalMs) / 1000} s | ` +
      `${ms(watch.latency.p50)} | ${ms(watch.latency.p99)} | ${rate(watch.throughput)} events/s (${watch.delivered}/${watch.expected}) | — | — |`,
  ];
}

function targets(results: RunResults): Target[] {
  const list: Target[] = [];
  for (const suite of results.suites) {
    const ds = suite.datastore;
    const getRate = Math.max(suite.get.c1.throughput, suite.get.c16.throughput);
    list.push({ what: `≥ 2,000 GET/s (${ds})`, measured: `${rate(getRate)} req/s`, met: getRate >= 2000 });
    if (ds === 'sqlite') {
      list.push({ what: '≥ 500 creates/s on SQLite', measured: `${rate(suite.create.api.throughput)} /s`, met: suite.create.api.throughput >= 500 });
    }
    const slowestList = Math.max(suite.list.json.latency.p50, suite.list.table.latency.p50);
    list.push({ what: `LIST of ${suite.list.items.toLocaleString('en-US')} pods < 1 s (${ds}, JSON and Table p50)`, measured: ms(slowestList), met: slowestList < 1000 });
    const watch = suite.watch;
    const complete = watch.delivered === watch.expected;
    list.push({
      what: `watch delivery p99 < 50 ms, ${watch.watchers} watchers (${ds})`,
      measured: ms(watch.latency.p99) + (complete ? '' : `, ${watch.expected - watch.delivered} deliveries missing`),
      met: complete && watch.latency.p99 < 50,
    });
  }
  for (const r of results.rss) list.push({ what: `server RSS < 100 MiB idle (${r.datastore})`, measured: mib(r.idleMiB), met: r.idleMiB < 100 });
  return list;
}

function ms(value: number): string {
  return `${round(value)} ms`;
}

function rate(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function times(value: number): string {
  return `${round(value)}×`;
}

function mib(value: number): string {
  return `${Math.round(value)} MiB`;
}
