// What an agent under test owns on this machine, and how it is given back. Each test server with
// an agent gets a slot N (a directory made atomically under /run/peapod-test-nets): cluster CIDR
// 10.(100+N).0.0/16, CNI bridge pptN, cgroup parent /peapod-test-N — so agents of parallel test
// files never share an address range, a bridge or a cgroup.
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeNodeMasquerade } from '../../src/agent/network/masquerade.ts';
import { PodNetwork } from '../../src/agent/network/pod_network.ts';

const run = promisify(execFile);
const slotsDir = '/run/peapod-test-nets';
const slotCount = 100;

export interface NodeSlot {
  n: number;
  clusterCidr: string;
  bridge: string;
  cgroupParent: string;
  release(): Promise<void>;
}

export async function allocateNodeSlot(): Promise<NodeSlot> {
  await mkdir(slotsDir, { recursive: true });
  const start = Math.floor(Math.random() * slotCount);
  for (let i = 0; i < slotCount; i++) {
    const n = (start + i) % slotCount;
    try {
      await mkdir(join(slotsDir, String(n)));
    } catch {
      continue;
    }
    return {
      n, clusterCidr: `10.${100 + n}.0.0/16`, bridge: `ppt${n}`, cgroupParent: `/peapod-test-${n}`,
      release: () => rm(join(slotsDir, String(n)), { recursive: true, force: true }),
    };
  }
  throw new Error(`no free test node slot under ${slotsDir}`);
}

/**
 * Removes whatever an agent left after it stopped: containers still running in its runc root,
 * their networks (CNI DEL from the agent's cache: IPs, iptables rules, tc), mounts under its data
 * dir, its cgroups and its bridge. Normally there is nothing left, since tests delete their pods
 * first; this keeps a failed test from leaking into the machine.
 */
export async function cleanupNode(agentDir: string, slot: NodeSlot): Promise<void> {
  const root = join(agentDir, 'runtime', 'runc');
  const { stdout } = await run('runc', ['--root', root, 'list', '-q']).catch(() => ({ stdout: '' }));
  for (const id of stdout.split('\n').filter(Boolean)) await run('runc', ['--root', root, 'delete', '--force', id]).catch(() => undefined);
  await tearDownNetworks(join(agentDir, 'network'), slot);
  await unmountUnder(agentDir);
  await removeCgroups(slot.cgroupParent);
  await run('ip', ['link', 'del', slot.bridge]).catch(() => undefined);
  await removeNodeMasquerade(slot.bridge).catch(() => undefined);
}

async function tearDownNetworks(stateDir: string, slot: NodeSlot): Promise<void> {
  const cached = (await readdir(join(stateDir, 'cache')).catch(() => [])).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  if (cached.length === 0) return;
  // DEL runs the conflist each pod was set up with, kept in the cache; the CIDR here is only a placeholder.
  const network = new PodNetwork({ podCidr: slot.clusterCidr.replace(/\/16$/, '/24'), stateDir, bridgeName: slot.bridge });
  for (const sandboxId of cached) {
    await network.tearDown({ sandboxId, netnsPath: '', podNamespace: '', podName: '', podUid: '' }).catch(() => undefined);
  }
}

async function unmountUnder(dir: string): Promise<void> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  const points = mountinfo.split('\n').map((line) => line.split(' ')[4]).filter((p): p is string => p !== undefined && p.startsWith(`${dir}/`));
  for (const point of points.sort((a, b) => b.length - a.length)) await run('umount', ['-l', point]).catch(() => undefined);
}

async function removeCgroups(parent: string): Promise<void> {
  for (const hierarchy of await readdir('/sys/fs/cgroup').catch(() => [])) await removeTree(join('/sys/fs/cgroup', hierarchy, parent));
}

async function removeTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined) return;
  for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
  await rmdir(dir).catch(() => undefined);
}
