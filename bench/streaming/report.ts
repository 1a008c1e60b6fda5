// The streaming section of bench/README.md, between <!-- streaming:begin --> and <!-- streaming:end -->.
import { round } from '../api/stats.ts';
import { measuredLine, targetsTable, updateReadmeSection, writeResultsFile, type Machine, type Target } from '../results.ts';
import type { ExecResult } from './exec.ts';
import type { ThroughputResult } from './portforward.ts';

export interface StreamingResults {
  date: string;
  machine: Machine;
  fileMiB: number;
  byVersion: { version: string; throughput: ThroughputResult[]; exec: ExecResult }[];
  durationS: number;
}

const ms = (v: number) => `${round(v)} ms`;
const percent = (r: ThroughputResult) => (100 * r.portForward) / r.direct;
/** What an exec adds beyond kubectl's own start with one API call and beyond runc exec itself: the streaming path's share. */
const serverShare = (exec: ExecResult) => exec.kubectlExec.p50 - exec.runcExec.p50 - exec.kubectlGet.p50;

export function writeStreamingResults(benchDir: string, results: StreamingResults): Promise<string> {
  return writeResultsFile(benchDir, 'streaming', results);
}

export function updateStreamingReadme(benchDir: string, results: StreamingResults): Promise<void> {
  return updateReadmeSection(benchDir, 'streaming', streamingMarkdown(results));
}

export function streamingMarkdown(results: StreamingResults): string {
  const throughputRows = results.byVersion.flatMap(({ version, throughput }) => throughput.map((t) =>
    `| ${version} | ${t.connections} | ${round(t.portForward)} MB/s | ${round(t.direct)} MB/s | ${round(percent(t))} % | ${round(t.cpuPerMB.server)} ms | ${round(t.cpuPerMB.kubectl)} ms |`));
  const execRows = results.byVersion.map(({ version, exec }) =>
    `| ${version} | ${ms(exec.kubectlExec.p50)} / ${ms(exec.kubectlExec.p99)} | ${ms(exec.runcExec.p50)} / ${ms(exec.runcExec.p99)} | +${ms(exec.kubectlExec.p50 - exec.runcExec.p50)} | ${ms(exec.kubectlGet.p50)} / ${ms(exec.kubectlGet.p99)} | ${ms(serverShare(exec))} |`);
  const targets = results.byVersion.flatMap(({ version, throughput, exec }): Target[] => [
    ...throughput.map((t) => ({
      what: `port-forward ≥ 50 % of direct, kubectl ${version}, ${t.connections} connection${t.connections > 1 ? 's' : ''}`, measured: `${round(percent(t))} %`, met: percent(t) >= 50,
    })),
    { what: `exec p50 within 50 ms of runc exec, kubectl ${version}`, measured: `+${ms(exec.kubectlExec.p50 - exec.runcExec.p50)}`, met: exec.kubectlExec.p50 - exec.runcExec.p50 <= 50 },
  ]);
  return [
    measuredLine(results.date, results.machine, `a ${results.fileMiB} MiB file`, results.durationS),
    '',
    '| kubectl | connections | through port-forward | direct to the pod IP | port-forward / direct | CPU per MB: server | kubectl |',
    '|---|---|---|---|---|---|---|',
    ...throughputRows,
    '',
    '| kubectl | `kubectl exec web -- true` p50 / p99 | `runc exec` p50 / p99 | exec − runc (p50) | `kubectl get pod web` p50 / p99 | exec − runc − get (p50) |',
    '|---|---|---|---|---|---|',
    ...execRows,
    '',
    ...targetsTable(targets),
    '',
  ].join('\n');
}
