// The pods section of bench/README.md, between <!-- pods:begin --> and <!-- pods:end -->.
import { round } from '../api/stats.ts';
import { measuredLine, updateReadmeSection, type Machine } from '../results.ts';
import type { FootprintResult } from './footprint.ts';
import type { RawResult } from './raw.ts';
import type { StartupResult } from './startup.ts';

export interface PodsResults {
  date: string;
  machine: Machine;
  count: number;
  startup: StartupResult[];
  raw: RawResult[];
  footprint: FootprintResult | undefined;
  durationS: number;
}

const ms = (v: number) => `${round(v)} ms`;

export function updatePodsReadme(benchDir: string, results: PodsResults): Promise<void> {
  return updateReadmeSection(benchDir, 'pods', podsMarkdown(results));
}

export function podsMarkdown(results: PodsResults): string {
  const { machine } = results;
  const rows = results.startup.map((s) => {
    const raw = results.raw.find((r) => r.containers === s.containers && r.mode === s.mode);
    const ratio = raw ? `${(s.startup.p50 / raw.startup.p50).toFixed(2)}×` : '—';
    return `| ${s.containers} | ${s.mode} | ${ms(s.startup.p50)} | ${ms(s.startup.p99)} | ${raw ? `${ms(raw.startup.p50)} / ${ms(raw.startup.p99)}` : '—'} | ${ratio} | ${ms(s.deletion.p50)} / ${ms(s.deletion.p99)} |`;
  });
  const two = results.startup.find((s) => s.containers === 2 && s.mode === 'sequential');
  const twoRaw = results.raw.find((r) => r.containers === 2 && r.mode === 'sequential');
  const f = results.footprint;
  const targets = [
    two && `| 2-container pod Running-and-Ready p50 ≤ 150 ms | ${ms(two.startup.p50)} | ${two.startup.p50 <= 150 ? 'yes' : '**no**'} |`,
    two && twoRaw && `| ≤ 1.3× the hand-made runc bound (p50) | ${(two.startup.p50 / twoRaw.startup.p50).toFixed(2)}× | ${two.startup.p50 / twoRaw.startup.p50 <= 1.3 ? 'yes' : '**no**'} |`,
    two && `| p99 ≤ 400 ms | ${ms(two.startup.p99)} | ${two.startup.p99 <= 400 ? 'yes' : '**no**'} |`,
    two && `| delete-to-gone ≤ 300 ms (SIGTERM-exiting containers, p50) | ${ms(two.deletion.p50)} | ${two.deletion.p50 <= 300 ? 'yes' : '**no**'} |`,
    f && `| ${f.pods} pods: server + agent process under 150 MiB RSS | ${round(f.serverRssMiB)} MiB | ${f.serverRssMiB < 150 ? 'yes' : '**no**'} |`,
    f && `| host overhead per pod (conmon + infra PSS) ≤ 1.2 MiB | ${round(f.overheadPerPodMiB)} MiB | ${f.overheadPerPodMiB <= 1.2 ? 'yes' : '**no**'} |`,
  ].filter((line): line is string => typeof line === 'string');
  return [
    measuredLine(results.date, machine, `${results.count} pods per case`, results.durationS),
    '',
    '| containers | mode | create → Running and Ready p50 | p99 | raw runc bound p50 / p99 | ratio (p50) | delete → gone p50 / p99 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '| target | measured | met |',
    '|---|---|---|',
    ...targets,
    '',
  ].join('\n');
}
