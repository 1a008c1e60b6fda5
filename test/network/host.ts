// Host helpers for the network tests: network namespaces we create (and always delete), and
// snapshots of the host state a pod network may leave behind.

import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function sh(command: string, args: string[]): Promise<string> {
  return (await run(command, args)).stdout;
}

/** Namespaces made by one test file; deleteAll runs in its after hook. */
export class TestNamespaces {
  readonly #prefix: string;
  readonly #names = new Set<string>();

  constructor(prefix: string) {
    this.#prefix = `${prefix}-${randomBytes(3).toString('hex')}`;
  }

  async add(label: string): Promise<{ name: string; path: string }> {
    const name = `${this.#prefix}-${label}`;
    await sh('ip', ['netns', 'add', name]);
    this.#names.add(name);
    return { name, path: `/var/run/netns/${name}` };
  }

  async delete(name: string): Promise<void> {
    this.#names.delete(name);
    await sh('ip', ['netns', 'del', name]).catch(() => {});
  }

  async deleteAll(): Promise<void> {
    for (const name of [...this.#names]) await this.delete(name);
  }
}

export async function ping(fromNetns: string, ip: string): Promise<void> {
  await sh('ip', ['netns', 'exec', fromNetns, '/bin/busybox', 'ping', '-c1', '-W1', ip]);
}

/** Host links that are ports of the bridge (the host ends of pod veths). */
export async function bridgePorts(bridge: string): Promise<string[]> {
  const links = JSON.parse(await sh('ip', ['-j', 'link', 'show', 'master', bridge]).catch(() => '[]')) as { ifname: string }[];
  return links.map((l) => l.ifname);
}

/** ifb devices the bandwidth plugin made for these sandboxes (it names them bwp + sha512(network + id)). */
export async function bandwidthIfbs(networkName: string, sandboxIds: Iterable<string>): Promise<string[]> {
  const ours = new Set([...sandboxIds].map((id) => `bwp${createHash('sha512').update(networkName + id).digest('hex').slice(0, 12)}`));
  const links = JSON.parse(await sh('ip', ['-j', 'link', 'show', 'type', 'ifb'])) as { ifname: string }[];
  return links.map((l) => l.ifname).filter((name) => ours.has(name));
}

/** Chains every CNI pod shares; a rule in them belongs to whoever its comment names. */
const nodeWideChain = /^CNI-(FORWARD|ADMIN|HOSTPORT-[A-Z]+)$/;

/**
 * iptables rules without packet counters, for before/after comparisons — only those of this
 * process's pods (their sandbox ids carry `marker`, or their CIDR) and the per-pod chains such
 * rules name, since agents of other test files change the host's rules at the same time.
 */
export async function iptablesRules(marker: string, cidrPrefix: string): Promise<string[]> {
  const lines = (await sh('iptables-save', []))
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]/, ''));
  const ours = (line: string) => line.includes(marker) || line.includes(cidrPrefix);
  const chains = new Set(lines.filter(ours).flatMap((line) => line.match(/CNI-[A-Za-z0-9-]+/g) ?? []).filter((c) => !nodeWideChain.test(c)));
  return lines.filter((line) => ours(line) || [...chains].some((chain) => line.includes(chain))).sort();
}

/** Addresses host-local holds in its data directory (one file per IP). */
export async function allocatedIPs(ipamDir: string): Promise<string[]> {
  try {
    return (await readdir(ipamDir)).filter((name) => /^\d+\.\d+\.\d+\.\d+$/.test(name)).sort();
  } catch {
    return [];
  }
}

export async function deleteLink(name: string): Promise<void> {
  await sh('ip', ['link', 'del', 'dev', name]).catch(() => {});
}

export async function linkExists(name: string): Promise<boolean> {
  return sh('ip', ['link', 'show', 'dev', name]).then(
    () => true,
    () => false,
  );
}
