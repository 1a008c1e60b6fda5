// Linux capabilities of a container: the runtime/default set, changed by the pod's
// securityContext (add/drop, privileged) the way containerd and CRI-O apply it.
import { RuntimeError, type ContainerSecurity } from '../runtime.ts';
import { DEFAULT_CAPABILITIES } from './defaults.ts';

/** Every capability runc 1.1 knows, in bit order (CAP_CHOWN is bit 0). */
export const ALL_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_DAC_READ_SEARCH', 'CAP_FOWNER', 'CAP_FSETID', 'CAP_KILL', 'CAP_SETGID',
  'CAP_SETUID', 'CAP_SETPCAP', 'CAP_LINUX_IMMUTABLE', 'CAP_NET_BIND_SERVICE', 'CAP_NET_BROADCAST', 'CAP_NET_ADMIN',
  'CAP_NET_RAW', 'CAP_IPC_LOCK', 'CAP_IPC_OWNER', 'CAP_SYS_MODULE', 'CAP_SYS_RAWIO', 'CAP_SYS_CHROOT', 'CAP_SYS_PTRACE',
  'CAP_SYS_PACCT', 'CAP_SYS_ADMIN', 'CAP_SYS_BOOT', 'CAP_SYS_NICE', 'CAP_SYS_RESOURCE', 'CAP_SYS_TIME',
  'CAP_SYS_TTY_CONFIG', 'CAP_MKNOD', 'CAP_LEASE', 'CAP_AUDIT_WRITE', 'CAP_AUDIT_CONTROL', 'CAP_SETFCAP',
  'CAP_MAC_OVERRIDE', 'CAP_MAC_ADMIN', 'CAP_SYSLOG', 'CAP_WAKE_ALARM', 'CAP_BLOCK_SUSPEND', 'CAP_AUDIT_READ',
  'CAP_PERFMON', 'CAP_BPF', 'CAP_CHECKPOINT_RESTORE',
];

/**
 * The capability set of a container. "ALL" in add or drop applies first, so that
 * add ["ALL"] + drop ["CHOWN"] is everything but CAP_CHOWN; then single names are added and dropped.
 */
export function containerCapabilities(security: ContainerSecurity | undefined): string[] {
  if (security?.privileged === true) return [...ALL_CAPABILITIES];
  const add = (security?.capabilities?.add ?? []).map(capabilityName);
  const drop = (security?.capabilities?.drop ?? []).map(capabilityName);
  let caps = new Set<string>(DEFAULT_CAPABILITIES);
  if (add.includes('ALL')) caps = new Set(ALL_CAPABILITIES);
  if (drop.includes('ALL')) caps.clear();
  for (const c of add) if (c !== 'ALL') caps.add(c);
  for (const c of drop) caps.delete(c);
  return ALL_CAPABILITIES.filter((c) => caps.has(c));
}

/** The hexadecimal mask /proc/PID/status shows for a capability set (CapEff: 00000000a80425fb). */
export function capabilityMask(caps: readonly string[]): string {
  let mask = 0n;
  for (const c of caps) mask |= 1n << BigInt(ALL_CAPABILITIES.indexOf(c));
  return mask.toString(16).padStart(16, '0');
}

/** "net_admin" → "CAP_NET_ADMIN"; unknown names fail here rather than in runc. */
function capabilityName(name: string): string {
  const upper = name.toUpperCase();
  if (upper === 'ALL') return upper;
  const full = upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
  if (!ALL_CAPABILITIES.includes(full)) throw new RuntimeError('Failed', `unknown capability ${JSON.stringify(name)}`);
  return full;
}
