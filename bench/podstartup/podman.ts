// The peer in the same run: Debian's podman 4.3 playing the same manifests (`podman kube play`
// returns once the pod's infra and containers were started; `podman kube down` once they are
// gone), with runc as its runtime, on storage and a containers.conf of its own. podman's
// default rlimits are above what root may set here, so the conf lowers them (`default_ulimits`).
// The image comes from the run's registry, tagged with the name the manifests use.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { summarize, type Summary } from '../api/stats.ts';
import { benchPod } from './startup.ts';

const run = promisify(execFile);
const image = 'docker.io/library/busybox:1.36';

export interface PodmanResult {
  containers: number;
  version: string;
  play: Summary;
  down: Summary;
}

/** podman's version, or undefined where it is not installed (scripts/setup-bench installs it). */
export async function podmanVersion(): Promise<string | undefined> {
  const out = await run('podman', ['--version']).catch(() => undefined);
  return out?.stdout.trim().replace(/^podman version /, '');
}

export async function measurePodman(registryHost: string, containers: number, count: number): Promise<PodmanResult> {
  const root = await mkdtemp(join(tmpdir(), 'peapod-bench-podman-'));
  const podman = podmanCommand(root);
  try {
    await writeFile(join(root, 'containers.conf'), containersConf());
    await podman(['pull', '-q', '--tls-verify=false', `docker://${registryHost}/library/busybox:1.36`]);
    await podman(['tag', `${registryHost}/library/busybox:1.36`, image]);
    const play: number[] = [];
    const down: number[] = [];
    for (let i = 0; i < count; i++) {
      const manifest = join(root, `pod-${i}.json`);
      await writeFile(manifest, JSON.stringify(benchPod(`podman-${containers}c-${i}`, containers)));
      play.push(await timed(() => podman(['kube', 'play', manifest])));
      down.push(await timed(() => podman(['kube', 'down', manifest])));
    }
    return { containers, version: (await podmanVersion()) ?? '', play: summarize(play), down: summarize(down) };
  } finally {
    await podman(['pod', 'rm', '--all', '--force']).catch(() => undefined);
    await podman(['system', 'reset', '--force']).catch(() => undefined);
    await rm(root, { recursive: true, force: true });
  }
}

function podmanCommand(root: string): (args: string[]) => Promise<void> {
  const env = { ...process.env, CONTAINERS_CONF: join(root, 'containers.conf') };
  return async (args) => {
    await run('podman', ['--root', join(root, 'storage'), '--runroot', join(root, 'run'), ...args], { env });
  };
}

function containersConf(): string {
  return [
    '[containers]',
    'default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]',
    '[engine]',
    'runtime = "runc"',
    'cgroup_manager = "cgroupfs"',
    'events_logger = "file"',
    '',
  ].join('\n');
}

async function timed(step: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await step();
  return performance.now() - t0;
}
