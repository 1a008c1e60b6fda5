// The node's conflists for one pod, computed without side effects:
//   the pod network   bridge (+ host-local IPAM) → firewall → portmap (hostPorts) → bandwidth (annotations)
//   loopback          a network of its own, as containerd's CRI does it, set up beside the other
// and the CNI arguments the kubelet passes (K8S_POD_*), plus runtimeConfig capability arguments.

import { join } from 'node:path';
import { NetworkError } from './errors.ts';
import type { BandwidthEntry } from './bandwidth.ts';
import type { NetConfList, PluginConf } from './cni/types.ts';
import { cniVersion } from './cni/types.ts';

export const networkName = 'peapod';
export const defaultBridgeName = 'peapod0';
export const podInterfaceName = 'eth0';

export interface PortMapping {
  hostPort: number;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  hostIP?: string;
}

/** portmap's runtimeConfig.portMappings entry (libcni's PortMapping). */
export interface CniPortMapping {
  hostPort: number;
  containerPort: number;
  protocol: string;
  hostIP?: string;
}

export interface NetworkSettings {
  podCidr: string;
  bridgeName: string;
  /** host-local's dataDir: one directory per network name, one file per allocated IP. */
  ipamDataDir: string;
  mtu?: number;
  /** Add the firewall plugin's per-pod FORWARD accept rules (needed where FORWARD's policy is DROP). */
  forwardRules: boolean;
}

/** An IPv4 CIDR split into what host-local needs. */
export interface PodSubnet {
  subnet: string;
  gateway: string;
}

export function parsePodCidr(cidr: string): PodSubnet {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  const octets = m ? m.slice(1, 5).map(Number) : [];
  const prefix = m ? Number(m[5]) : -1;
  if (!m || octets.some((o) => o > 255) || prefix < 8 || prefix > 30) {
    throw new NetworkError('InvalidArgument', `invalid pod CIDR "${cidr}": want an IPv4 network a.b.c.d/n with 8 <= n <= 30`);
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) {
    throw new NetworkError('InvalidArgument', `invalid pod CIDR "${cidr}": host bits are set (network is ${formatIPv4(address - (address % size))}/${prefix})`);
  }
  return { subnet: cidr, gateway: formatIPv4(address + 1) };
}

function formatIPv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function ipamDataDir(stateDir: string): string {
  return join(stateDir, 'ipam');
}

/** The conflist for a pod; portmap and bandwidth only when the pod uses them. */
export function podConfList(settings: NetworkSettings, uses: { ports: boolean; bandwidth: boolean }): NetConfList {
  const { subnet, gateway } = parsePodCidr(settings.podCidr);
  const bridge: PluginConf = {
    type: 'bridge',
    bridge: settings.bridgeName,
    isGateway: true,
    // One node-wide rule set masquerades the pods' traffic instead (masquerade.ts).
    ipMasq: false,
    hairpinMode: true,
    ipam: {
      type: 'host-local',
      dataDir: settings.ipamDataDir,
      ranges: [[{ subnet, gateway }]],
      routes: [{ dst: '0.0.0.0/0' }],
    },
  };
  if (settings.mtu !== undefined) bridge['mtu'] = settings.mtu;
  const plugins: PluginConf[] = [
    bridge,
    // With net.bridge.bridge-nf-call-iptables=1, frames between two pods on the bridge pass the
    // filter FORWARD chain; a DROP policy there (Docker sets one) would cut pods off from each
    // other. firewall accepts traffic from and back to each pod IP in its CNI-FORWARD chain. It
    // is skipped where FORWARD accepts anyway: its iptables calls are ~40% of a pod's CNI ADD.
    ...settings.forwardRules ? [{ type: 'firewall', backend: 'iptables' }] : [],
  ];
  if (uses.ports) plugins.push({ type: 'portmap', capabilities: { portMappings: true } });
  if (uses.bandwidth) plugins.push({ type: 'bandwidth', capabilities: { bandwidth: true } });
  return { cniVersion, name: networkName, plugins };
}

/** The pod's `lo`, up. */
export function loopbackConfList(): NetConfList {
  return { cniVersion, name: 'cni-loopback', plugins: [{ type: 'loopback' }] };
}

/** CNI_ARGS as the kubelet sets them; IgnoreUnknown lets plugins skip the K8S_ keys. */
export function podCniArgs(pod: { podNamespace: string; podName: string; podUid: string; sandboxId: string }): [string, string][] {
  return [
    ['IgnoreUnknown', '1'],
    ['K8S_POD_NAMESPACE', pod.podNamespace],
    ['K8S_POD_NAME', pod.podName],
    ['K8S_POD_INFRA_CONTAINER_ID', pod.sandboxId],
    ['K8S_POD_UID', pod.podUid],
  ];
}

/** hostPort → portmap's mappings, as the CRI runtimes convert them (no hostPort, no mapping). */
export function cniPortMappings(ports: PortMapping[]): CniPortMapping[] {
  return ports
    .filter((p) => p.hostPort > 0)
    .map((p) => {
      const mapping: CniPortMapping = { hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol.toLowerCase() };
      if (p.hostIP) mapping.hostIP = p.hostIP;
      return mapping;
    });
}

export function capabilityArgs(ports: CniPortMapping[], bandwidth: BandwidthEntry | undefined): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  if (ports.length > 0) args['portMappings'] = ports;
  if (bandwidth) args['bandwidth'] = bandwidth;
  return args;
}
