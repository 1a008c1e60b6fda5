// Host helpers for the network tests: network namespaces we create (and always delete), and
// snapshots of the host state a pod network may leave behind.

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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

/** ifb devices the bandwidth plugin made (it names them bwp + a hash of the sandbox). */
export async function bandwidthIfbs(): Promise<string[]> {
  const links = JSON.parse(await sh('ip', ['-j', 'link', 'show', 'type', 'ifb'])) as { ifname: string }[];
  return links.map((l) => l.ifname).filter((name) => name.startsWith('bwp'));
}

/** iptables rules without packet counters, for before/after comparisons. */
export async function iptablesRules(): Promise<string[]> {
  const text = await sh('iptables-save', []);
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.replace(/\[\d+:\d+\]/, ''))
    .sort();
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
