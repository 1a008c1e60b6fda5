// The node's masquerade for its pods, set up once when the agent starts, in place of the bridge
// plugin's ipMasq: that makes a chain and two rules per pod — eight iptables runs in every ADD and
// six in every DEL, most of a pod's network setup — for the same effect as one chain for the pod
// CIDR. Traffic from a pod to anywhere but the pod CIDR and multicast leaves with the node's
// address, as ipMasq has it:
//
//   nat POSTROUTING  -s <podCIDR> -j PEAPOD-MASQ-<bridge>     (comment names the bridge)
//   nat PEAPOD-MASQ-<bridge>:  -d <podCIDR> -j ACCEPT
//                              -d 224.0.0.0/4 -j ACCEPT
//                              -j MASQUERADE
//
// Both are idempotent; a changed pod CIDR replaces the old rules.
import { run } from '../launcher/launcher.ts';
import { NetworkError } from './errors.ts';

export function masqueradeChain(bridgeName: string): string {
  return `PEAPOD-MASQ-${bridgeName}`;
}

export async function ensureNodeMasquerade(podCidr: string, bridgeName: string): Promise<void> {
  const chain = masqueradeChain(bridgeName);
  await removeNodeMasquerade(bridgeName);
  await iptables(['-t', 'nat', '-N', chain]);
  for (const rule of [['-d', podCidr, '-j', 'ACCEPT'], ['-d', '224.0.0.0/4', '-j', 'ACCEPT'], ['-j', 'MASQUERADE']]) {
    await iptables(['-t', 'nat', '-A', chain, ...rule]);
  }
  await iptables(['-t', 'nat', '-A', 'POSTROUTING', '-s', podCidr, '-m', 'comment', '--comment', comment(bridgeName), '-j', chain]);
}

/** Removes the chain and every POSTROUTING jump to it; nothing there is fine. */
export async function removeNodeMasquerade(bridgeName: string): Promise<void> {
  const chain = masqueradeChain(bridgeName);
  const { stdout } = await run(['iptables', '-w', '-t', 'nat', '-S', 'POSTROUTING']);
  for (const line of stdout.split('\n').filter((l) => l.endsWith(`-j ${chain}`))) {
    await iptables(['-t', 'nat', '-D', ...splitRule(line.replace(/^-A /, ''))]);
  }
  const chains = (await run(['iptables', '-w', '-t', 'nat', '-S'])).stdout;
  if (!chains.split('\n').includes(`-N ${chain}`)) return;
  await iptables(['-t', 'nat', '-F', chain]);
  await iptables(['-t', 'nat', '-X', chain]);
}

function comment(bridgeName: string): string {
  return `peapod masquerade for ${bridgeName}`;
}

/** An `iptables -S` rule back into arguments: words, with double-quoted ones kept whole. */
function splitRule(rule: string): string[] {
  return [...rule.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

async function iptables(args: string[]): Promise<void> {
  try {
    await run(['iptables', '-w', ...args]);
  } catch (err) {
    throw new NetworkError('NodeSetupFailed', (err as Error).message, { cause: err });
  }
}
