// Host-side state that survives a DEL when the pod's netns is already gone. bridge (plugins 1.1.1)
// releases the IP but then returns early: it learns the pod's addresses by deleting eth0 inside
// the netns, so without a netns it never removes its ipMasq rules. We remove them the way its
// TeardownIPMasq does, for the addresses in the cached result. The host end of the veth goes with
// the netns; if that netns lives on somewhere (a path we would not enter), we delete the host end.

import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { CacheEntry } from './cni/cache.ts';

const run = promisify(execFile);

export async function removeHostLeftovers(entry: CacheEntry, bridgeName: string): Promise<void> {
  const name = entry.config.name;
  const chain = masqChainName(name, entry.containerId);
  const comment = `name: "${name}" id: "${entry.containerId}"`;
  for (const ip of entry.result?.ips ?? []) {
    const address = ip.address.split('/')[0]!;
    if (address.includes(':')) continue;
    await iptablesIgnoringMissing(['-t', 'nat', '-D', 'POSTROUTING', '-s', address, '-j', chain, '-m', 'comment', '--comment', comment]);
  }
  await iptablesIgnoringMissing(['-t', 'nat', '-F', chain]);
  await iptablesIgnoringMissing(['-t', 'nat', '-X', chain]);
  for (const iface of entry.result?.interfaces ?? []) {
    if (iface.sandbox === undefined && iface.name !== bridgeName) await deleteBridgePort(iface.name, bridgeName);
  }
}

/** libcni utils.FormatChainName: "CNI-" + sha512(name + id) in hex, cut to 28 characters. */
export function masqChainName(networkName: string, containerId: string): string {
  return `CNI-${createHash('sha512').update(networkName + containerId).digest('hex')}`.slice(0, 28);
}

async function iptablesIgnoringMissing(args: string[]): Promise<void> {
  try {
    await run('iptables', ['-w', ...args]);
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '');
    // "No chain/target/match by that name", "Bad rule (does a matching rule exist …)", "does not exist"
    if (/No chain|does a matching rule exist|does not exist|No such file/i.test(stderr)) return;
    throw new Error(`iptables ${args.join(' ')}: ${stderr.trim()}`, { cause: error });
  }
}

/** Deletes a veth only while it is still a port of our bridge: names of gone links get reused. */
async function deleteBridgePort(link: string, bridgeName: string): Promise<void> {
  let shown: { master?: string }[];
  try {
    shown = JSON.parse((await run('ip', ['-j', 'link', 'show', 'dev', link])).stdout) as { master?: string }[];
  } catch {
    return; // no such link: the kernel removed it with its netns
  }
  if (shown[0]?.master !== bridgeName) return;
  await run('ip', ['link', 'del', 'dev', link]).catch(() => {});
}
