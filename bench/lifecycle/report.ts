// The lifecycle section of bench/README.md, between <!-- lifecycle:begin --> and <!-- lifecycle:end -->,
// each measurement beside what the Kubernetes timings ask of it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { round } from '../api/stats.ts';
import type { DeletionResult } from './deletion.ts';
import type { LivenessResult } from './liveness.ts';

export interface LifecycleResults {
  date: string;
  machine: { cpus: number; cpuModel: string; node: string; loadBefore: number; loadAfter: number };
  count: number;
  liveness: LivenessResult;
  deletion: DeletionResult[];
  durationS: number;
}

const begin = '<!-- lifecycle:begin -->';
const end = '<!-- lifecycle:end -->';
const ms = (v: number) => `${round(v)} ms`;
const met = (ok: boolean) => (ok ? 'yes' : '**no**');

export async function updateLifecycleReadme(benchDir: string, results: LifecycleResults): Promise<void> {
  const path = join(benchDir, 'README.md');
  const text = await readFile(path, 'utf8');
  const from = text.indexOf(begin);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${path}: no ${begin} … ${end} section`);
  await writeFile(path, text.slice(0, from + begin.length) + '\n' + lifecycleMarkdown(results) + text.slice(to));
}

export function lifecycleMarkdown(results: LifecycleResults): string {
  const { machine, liveness } = results;
  const rows = [
    `| liveness failure → restarted container running | ${ms(liveness.restart.p50)} | ${ms(liveness.restart.p99)} | no back-off before a first restart; SIGTERM ends the container at once: stop + start, ≤ 1000 ms | ${met(liveness.restart.p50 <= 1000)} |`,
    ...results.deletion.map((d) => {
      const graceMs = d.gracePeriodSeconds * 1000;
      const [want, ok] = d.reaction === 'exits on SIGTERM'
        ? [`the ${d.gracePeriodSeconds} s grace period unused: ≤ 300 ms`, d.deletion.p50 <= 300]
        : [`SIGKILL at the ${d.gracePeriodSeconds} s grace period: ${graceMs}–${graceMs + 500} ms`, d.deletion.p50 >= graceMs && d.deletion.p50 <= graceMs + 500];
      return `| kubectl delete → pod gone, container ${d.reaction} | ${ms(d.deletion.p50)} | ${ms(d.deletion.p99)} | ${want} | ${met(ok)} |`;
    }),
  ];
  return [
    `Measured ${results.date.slice(0, 16).replace('T', ' ')} UTC on ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}; ` +
      `load average ${machine.loadBefore.toFixed(2)} before, ${machine.loadAfter.toFixed(2)} after; ${results.count} pods per case; ` +
      `the whole run took ${Math.round(results.durationS)} s.`,
    '',
    '| what | p50 | p99 | what the spec asks | met (p50) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
