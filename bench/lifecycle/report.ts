// The lifecycle section of bench/README.md, between <!-- lifecycle:begin --> and <!-- lifecycle:end -->,
// each measurement beside what the Kubernetes timings ask of it.
import { round } from '../api/stats.ts';
import { measuredLine, metCell, updateReadmeSection, type Machine } from '../results.ts';
import type { DeletionResult } from './deletion.ts';
import type { LivenessResult } from './liveness.ts';

export interface LifecycleResults {
  date: string;
  machine: Machine;
  count: number;
  liveness: LivenessResult;
  deletion: DeletionResult[];
  durationS: number;
}

const ms = (v: number) => `${round(v)} ms`;

export function updateLifecycleReadme(benchDir: string, results: LifecycleResults): Promise<void> {
  return updateReadmeSection(benchDir, 'lifecycle', lifecycleMarkdown(results));
}

export function lifecycleMarkdown(results: LifecycleResults): string {
  const { machine, liveness } = results;
  const rows = [
    `| liveness failure → restarted container running | ${ms(liveness.restart.p50)} | ${ms(liveness.restart.p99)} | no back-off before a first restart; SIGTERM ends the container at once: stop + start, ≤ 1000 ms | ${metCell(liveness.restart.p50 <= 1000)} |`,
    ...results.deletion.map((d) => {
      const graceMs = d.gracePeriodSeconds * 1000;
      const [want, ok] = d.reaction === 'exits on SIGTERM'
        ? [`the ${d.gracePeriodSeconds} s grace period unused: ≤ 300 ms`, d.deletion.p50 <= 300]
        : [`SIGKILL at the ${d.gracePeriodSeconds} s grace period: ${graceMs}–${graceMs + 500} ms`, d.deletion.p50 >= graceMs && d.deletion.p50 <= graceMs + 500];
      return `| kubectl delete → pod gone, container ${d.reaction} | ${ms(d.deletion.p50)} | ${ms(d.deletion.p99)} | ${want} | ${metCell(ok)} |`;
    }),
  ];
  return [
    measuredLine(results.date, machine, `${results.count} pods per case`, results.durationS),
    '',
    '| what | p50 | p99 | what the spec asks | met (p50) |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
