// 200 pod create/delete cycles through the real agent leave nothing on the node: a snapshot of
// everything a pod makes (veths, IPs, qdiscs, iptables chains, mounts, cgroups, conmon, runc
// containers, runtime records, pod and log dirs) taken before equals the one taken after.
//
//   warm-up pod (node-wide state: bridge, CNI-FORWARD, image) ─▶ snapshot
//   10 rounds × 20 pods: create ─▶ Running ─▶ note per-pod chains/ifbs ─▶ delete ─▶ gone
//   snapshot again ─▶ equal; no per-pod chain or ifb seen in a round is left
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { createPods, pod, runcList, slotFlagsOf, untilTerm, waitRunning, type NodeSlotFlags } from './support.ts';

const run = promisify(execFile);
const rounds = 10;
const podsPerRound = 20;

describe('pod lifecycle leaks', () => {
  let server: TestServer;
  let slot: NodeSlotFlags;

  before(async () => {
    server = await startServer({ agent: true });
    slot = await slotFlagsOf(server.pid ?? 0);
  });

  // The server stops even when the deletion outlasts kubectl's deadline: a live server keeps this file's process alive.
  after(async () => {
    try {
      await kubectl(server, ['delete', 'pods', '--all', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
    } finally {
      await server.stop();
    }
  });

  test(`${rounds * podsPerRound} create/delete cycles leave nothing behind`, { timeout: 600_000 }, async (t) => {
    await cycle(server, 'warmup', [leakPod('warmup', 0, slot)]);
    const baseline = await snapshot(server.dataDir, slot);
    const seen: PerPod = { chains: new Set(), ifbs: new Set() };

    const started = Date.now();
    const total: Timing = { startMs: 0, deleteMs: 0 };
    for (let round = 0; round < rounds; round++) {
      const pods = Array.from({ length: podsPerRound }, (_, i) => leakPod(`leak-${round}`, i, slot));
      const timing = await cycle(server, `leak-${round}`, pods, async () => {
        if (round === 0) await assertProbesSeePods(server.dataDir, slot, baseline);
        const found = await perPodState(slot);
        for (const chain of found.chains) seen.chains.add(chain);
        for (const ifb of found.ifbs) seen.ifbs.add(ifb);
      });
      total.startMs += timing.startMs;
      total.deleteMs += timing.deleteMs;
    }
    const seconds = (Date.now() - started) / 1000;
    t.diagnostic(`${rounds * podsPerRound} pods created and deleted in ${seconds.toFixed(1)} s (to Running: ${total.startMs / 1000} s, deletion: ${total.deleteMs / 1000} s)`);
    assert.ok(seen.chains.size >= rounds, `per-pod hostPort (portmap) chains seen while running: ${seen.chains.size}`);
    assert.ok(seen.ifbs.size >= rounds, `bandwidth ifb devices seen while running: ${seen.ifbs.size}`);

    const final = await snapshot(server.dataDir, slot);
    for (const key of Object.keys(baseline) as (keyof Snapshot)[]) {
      assert.deepEqual(final[key], baseline[key], `${key}: what the cycles left differs from before`);
    }
    const rules = await iptablesLines();
    const leftChains = rules.filter((line) => [...seen.chains].some((chain) => line.includes(chain)));
    assert.deepEqual(leftChains, [], 'iptables lines of per-pod chains left');
    const links = await linkNames();
    assert.deepEqual([...seen.ifbs].filter((ifb) => links.includes(ifb)), [], 'bandwidth ifb devices left');
  });
});

/** Creates the pods, waits for them Running, runs `whileRunning`, deletes them and waits for them gone. */
async function cycle(server: TestServer, round: string, pods: Pod[], whileRunning?: () => Promise<void>): Promise<Timing> {
  const start = Date.now();
  await createPods(server, pods);
  await waitRunning(server, pods.map((p) => p.metadata?.name ?? ''));
  const running = Date.now();
  await whileRunning?.();
  const deleting = Date.now();
  const deleted = await kubectl(server, ['delete', 'pods', '-l', `round=${round}`, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  assert.equal(deleted.code, 0, deleted.stderr);
  const left = await kubectl(server, ['get', 'pods', '-l', `round=${round}`, '-o', 'name']);
  assert.equal(left.stdout, '', `pods of ${round} still there`);
  return { startMs: running - start, deleteMs: Date.now() - deleting };
}

interface Timing {
  /** Create until all Running. */
  startMs: number;
  /** Delete until all gone. */
  deleteMs: number;
}

/**
 * A pod that ends on SIGTERM. Every fourth pod has bandwidth limits (a tbf qdisc and an ifb), the
 * first of a round a hostPort (a portmap DNAT chain), port per node slot so parallel files differ.
 */
function leakPod(round: string, i: number, slot: NodeSlotFlags): Pod {
  const spec = pod(`${round}-${i}`, [{
    name: 'app', image: 'busybox', command: untilTerm(),
    ...(i === 0 ? { ports: [{ containerPort: 80, hostPort: 41_000 + Number(slot.bridge.replace(/\D/g, '')) }] } : {}),
  }], i % 4 === 1 ? { annotations: { 'kubernetes.io/ingress-bandwidth': '10M', 'kubernetes.io/egress-bandwidth': '10M' } } : {});
  spec.metadata = { ...spec.metadata, labels: { round } };
  return spec;
}

interface Snapshot {
  veths: string[];
  ipamFiles: string[];
  qdiscs: string[];
  iptables: string[];
  mounts: string[];
  cgroups: string[];
  conmons: number;
  runcContainers: string[];
  podsFiles: string[];
  logsFiles: string[];
  runtimeRecords: string[];
  cniCache: string[];
}

async function snapshot(dataDir: string, slot: NodeSlotFlags): Promise<Snapshot> {
  const agent = join(dataDir, 'agent');
  const veths = await bridgePorts(slot.bridge);
  const runtime = join(agent, 'runtime');
  return {
    veths,
    ipamFiles: (await files(join(agent, 'network', 'ipam'))).filter((f) => !/(^|\/)(lock|last_reserved_ip\.\d+)$/.test(f)),
    qdiscs: await qdiscsOn(veths),
    iptables: (await iptablesLines()).filter((line) => line.includes('CNI-') && line.includes(slot.podIpPrefix)),
    mounts: await mountsUnder(dataDir),
    cgroups: await cgroupDirs(slot.cgroupParent),
    conmons: await conmonCount(dataDir),
    runcContainers: (await runcList(dataDir)).map((c) => `${c.id} ${c.status}`).sort(),
    podsFiles: await files(join(agent, 'pods')),
    logsFiles: await files(join(agent, 'logs')),
    runtimeRecords: [...await files(join(runtime, 'sandboxes')), ...await files(join(runtime, 'containers')), ...await files(join(runtime, 'exits'))],
    cniCache: await files(join(agent, 'network', 'cache')),
  };
}

/** Each probe sees running pods, so a snapshot equal to the baseline later means they are gone. */
async function assertProbesSeePods(dataDir: string, slot: NodeSlotFlags, baseline: Snapshot): Promise<void> {
  const busy = await snapshot(dataDir, slot);
  for (const key of Object.keys(baseline) as (keyof Snapshot)[]) {
    assert.notDeepEqual(busy[key], baseline[key], `${key}: the probe does not see the running pods`);
  }
}

interface PerPod {
  chains: Set<string>;
  ifbs: Set<string>;
}

/** The per-pod iptables chains (portmap's CNI-DN-<hash>) and bandwidth ifbs of this node's running pods. */
async function perPodState(slot: NodeSlotFlags): Promise<PerPod> {
  const chains = new Set<string>();
  for (const line of await iptablesLines()) {
    if (!line.includes(slot.podIpPrefix)) continue;
    for (const m of line.matchAll(/(CNI-DN-[0-9a-f]{16,})/g)) chains.add(m[1]!);
  }
  const ifbs = new Set<string>();
  for (const veth of await bridgePorts(slot.bridge)) {
    const { stdout } = await run('tc', ['filter', 'show', 'dev', veth, 'parent', 'ffff:']);
    for (const m of stdout.matchAll(/Redirect to device (\w+)/g)) ifbs.add(m[1]!);
  }
  return { chains, ifbs };
}

async function bridgePorts(bridge: string): Promise<string[]> {
  const { stdout } = await run('ip', ['-o', 'link', 'show', 'master', bridge]).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[1]!.split('@')[0]!).sort();
}

async function linkNames(): Promise<string[]> {
  const { stdout } = await run('ip', ['-o', 'link']);
  return stdout.split('\n').filter(Boolean).map((line) => line.split(': ')[1]!.split('@')[0]!);
}

async function qdiscsOn(devices: string[]): Promise<string[]> {
  const { stdout } = await run('tc', ['qdisc', 'show']);
  return stdout.split('\n').filter((line) => devices.some((d) => line.includes(` dev ${d} `))).sort();
}

/** filter and nat tables, counters dropped so that snapshots compare. */
async function iptablesLines(): Promise<string[]> {
  const { stdout } = await run('iptables-save');
  return stdout.split('\n').filter((line) => line.startsWith('-A ') || line.startsWith(':')).map((line) => line.replace(/\[\d+:\d+\]/, '')).sort();
}

async function mountsUnder(dir: string): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').map((line) => line.split(' ')[4] ?? '').filter((point) => point.startsWith(`${dir}/`)).sort();
}

async function cgroupDirs(parent: string): Promise<string[]> {
  const found: string[] = [];
  for (const hierarchy of await readdir('/sys/fs/cgroup')) {
    const root = join('/sys/fs/cgroup', hierarchy, parent);
    for (const dir of await dirs(root)) found.push(`${hierarchy}:${relative(root, dir)}`);
  }
  return found.sort();
}

/** The directories below `root` (cgroups: a pod's, a container's). */
async function dirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const children = entries.filter((e) => e.isDirectory()).map((e) => join(root, e.name));
  const below = await Promise.all(children.map(dirs));
  return [...children, ...below.flat()];
}

/** conmon processes whose arguments name this data dir. */
async function conmonCount(dataDir: string): Promise<number> {
  let count = 0;
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const args = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (args.split('\0')[0]?.endsWith('conmon') && args.includes(dataDir)) count++;
  }
  return count;
}

/** Every file and directory below `root`, relative to it. */
async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true }).catch(() => []);
  return entries.sort();
}
