// The pods section of bench/README.md, between <!-- pods:begin --> and <!-- pods:end -->.
import { round } from '../api/stats.ts';
import { measuredLine, targetsTable, updateReadmeSection, type Machine, type Target } from '../results.ts';
import type { FootprintResult } from './footprint.ts';
import type { PodmanResult } from './podman.ts';
import type { RawResult } from './raw.ts';
import type { StartupResult } from './startup.ts';

export interface PodsResults {
  date: string;
  machine: Machine;
  count: number;
  startup: StartupResult[];
  raw: RawResult[];
  /** Sequential `podman kube play` / `kube down`; empty without podman. */
  podman: PodmanResult[];
  podmanVersion: string | undefined;
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
    const peer = s.mode === 'sequential' ? results.podman.find((p) => p.containers === s.containers) : undefined;
    const podman = peer ? `${ms(peer.play.p50)} / ${ms(peer.down.p50)} (${(peer.play.p50 / s.startup.p50).toFixed(1)}× / ${(peer.down.p50 / s.deletion.p50).toFixed(1)}×)` : '—';
    return `| ${s.containers} | ${s.mode} | ${ms(s.startup.p50)} | ${ms(s.startup.p99)} | ${raw ? `${ms(raw.startup.p50)} / ${ms(raw.startup.p99)}` : '—'} | ${ratio} | ${ms(s.deletion.p50)} / ${ms(s.deletion.p99)} | ${podman} |`;
  });
  const two = results.startup.find((s) => s.containers === 2 && s.mode === 'sequential');
  const twoRaw = results.raw.find((r) => r.containers === 2 && r.mode === 'sequential');
  const twoPodman = results.podman.find((p) => p.containers === 2);
  const f = results.footprint;
  const targets = [
    two && twoPodman && { what: '≥ 3× faster than podman kube play (2 containers, p50)', measured: `${(twoPodman.play.p50 / two.startup.p50).toFixed(1)}×`, met: twoPodman.play.p50 / two.startup.p50 >= 3 },
    two && { what: '2-container pod Running-and-Ready p50 ≤ 150 ms', measured: ms(two.startup.p50), met: two.startup.p50 <= 150 },
    two && twoRaw && { what: '≤ 1.3× the hand-made runc bound (p50)', measured: `${(two.startup.p50 / twoRaw.startup.p50).toFixed(2)}×`, met: two.startup.p50 / twoRaw.startup.p50 <= 1.3 },
    two && { what: 'p99 ≤ 400 ms', measured: ms(two.startup.p99), met: two.startup.p99 <= 400 },
    two && { what: 'delete-to-gone ≤ 300 ms (SIGTERM-exiting containers, p50)', measured: ms(two.deletion.p50), met: two.deletion.p50 <= 300 },
    f && { what: `${f.pods} pods: server + agent process under 150 MiB RSS`, measured: `${round(f.serverRssMiB)} MiB`, met: f.serverRssMiB < 150 },
    f && { what: 'host overhead per pod (conmon + infra PSS) ≤ 1.2 MiB', measured: `${round(f.overheadPerPodMiB)} MiB`, met: f.overheadPerPodMiB <= 1.2 },
  ].filter((t): t is Target => typeof t === 'object');
  return [
    measuredLine(results.date, machine, `${results.count} pods per case`, results.durationS),
    '',
    '| containers | mode | create → Running and Ready p50 | p99 | raw runc bound p50 / p99 | ratio (p50) | delete → gone p50 / p99 | podman kube play / down p50 (× peapod) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    results.podmanVersion === undefined
      ? 'podman was not installed for this run (`scripts/setup-bench` installs Debian\'s).'
      : `podman ${results.podmanVersion}, runc, its own storage and containers.conf; \`kube play\` returns once the containers started, \`kube down\` once they are gone.`,
    '',
    ...targetsTable(targets),
    '',
  ].join('\n');
}
