// PodNetwork: the node agent's one entry to pod networking (the kubelet's network plugin role).
//
//   setUp     validate → cache entry (config, args, netns inode) → CNI ADD of the list, and of
//             the loopback list beside it → cache the result → IPs.   A failed ADD is undone with
//             DEL before the error returns.
//   tearDown  cache entry (or a fresh full list) → CNI DEL in reverse (and loopback's, while the
//             netns is there) → a stray host veth when the netns was gone → forget the entry.
//             Idempotent.
//   podIPs    from the cache, so the agent finds a pod's IP again after a restart.
//
// Calls for one sandbox are serialized; calls for different sandboxes run in parallel (host-local
// takes a file lock on its data directory for each allocation).

import { join } from 'node:path';
import { run } from '../launcher/launcher.ts';
import { podBandwidth } from './bandwidth.ts';
import { CniCache, checkContainerId, type CacheEntry } from './cni/cache.ts';
import { addNetworkList, delNetworkList } from './cni/conflist.ts';
import type { CniResult, RuntimeConf } from './cni/types.ts';
import {
  capabilityArgs,
  cniPortMappings,
  defaultBridgeName,
  ipamDataDir,
  loopbackConfList,
  parsePodCidr,
  podCniArgs,
  podConfList,
  podInterfaceName,
  type NetworkSettings,
  type PortMapping,
} from './config.ts';
import { removeStrayVeths } from './leftovers.ts';
import { identifyNetns, netnsForDelete } from './netns.ts';

export interface PodNetworkOptions {
  /** Node's pod CIDR, e.g. "10.42.0.0/24" (gateway = first address). */
  podCidr: string;
  /** Directory for host-local IPAM state and our CNI cache, e.g. DATA/network. */
  stateDir: string;
  /** Defaults to "peapod0". */
  bridgeName?: string;
  /** Defaults to ["/usr/lib/cni"]. */
  pluginDirs?: string[];
  mtu?: number;
  /** Per-pod FORWARD accept rules (the firewall plugin); default true. See forwardPolicyDrops. */
  forwardRules?: boolean;
}

export interface PodNetworkRequest {
  /** The CNI container id. */
  sandboxId: string;
  /** /proc/PID/ns/net of the infra process. */
  netnsPath: string;
  podNamespace: string;
  podName: string;
  podUid: string;
  /** kubernetes.io/ingress-bandwidth and kubernetes.io/egress-bandwidth are read. */
  annotations: Record<string, string>;
  portMappings: PortMapping[];
}

export type PodNetworkTeardown = Pick<PodNetworkRequest, 'sandboxId' | 'netnsPath' | 'podNamespace' | 'podName' | 'podUid'>;

/**
 * Whether the host's iptables FORWARD chain drops by default (Docker sets that), so that pods need
 * accept rules of their own; true when it cannot tell. Read when the agent starts.
 */
export async function forwardPolicyDrops(): Promise<boolean> {
  try {
    const { stdout } = await run(['iptables', '-S', 'FORWARD']);
    return !stdout.split('\n').includes('-P FORWARD ACCEPT');
  } catch {
    return true;
  }
}

export class PodNetwork {
  readonly #settings: NetworkSettings;
  readonly #pluginDirs: string[];
  readonly #cache: CniCache;
  readonly #busy = new Map<string, Promise<unknown>>();

  constructor(options: PodNetworkOptions) {
    parsePodCidr(options.podCidr);
    this.#settings = {
      podCidr: options.podCidr,
      bridgeName: options.bridgeName ?? defaultBridgeName,
      ipamDataDir: ipamDataDir(options.stateDir),
      forwardRules: options.forwardRules ?? true,
    };
    if (options.mtu !== undefined) this.#settings.mtu = options.mtu;
    this.#pluginDirs = options.pluginDirs ?? ['/usr/lib/cni'];
    this.#cache = new CniCache(join(options.stateDir, 'cache'));
  }

  /** CNI ADD; returns the pod's IPs (without prefix length). */
  setUp(request: PodNetworkRequest): Promise<{ ips: string[] }> {
    checkContainerId(request.sandboxId);
    return this.#serialized(request.sandboxId, () => this.#setUp(request));
  }

  /** CNI DEL; idempotent, and complete even when the netns is already gone. */
  tearDown(request: PodNetworkTeardown): Promise<void> {
    checkContainerId(request.sandboxId);
    return this.#serialized(request.sandboxId, () => this.#tearDown(request));
  }

  /** The IPs a sandbox holds according to the cache; undefined when it has no network. */
  async podIPs(sandboxId: string): Promise<string[] | undefined> {
    const entry = await this.#cache.get(sandboxId);
    return entry?.result ? resultIPs(entry.result) : undefined;
  }

  async #setUp(request: PodNetworkRequest): Promise<{ ips: string[] }> {
    const existing = await this.#cache.get(request.sandboxId);
    if (existing?.result) return { ips: resultIPs(existing.result) };
    if (existing) await this.#tearDown(request);

    const bandwidth = podBandwidth(request.annotations);
    const ports = cniPortMappings(request.portMappings);
    const config = podConfList(this.#settings, { ports: ports.length > 0, bandwidth: bandwidth !== undefined });
    const runtime: RuntimeConf = {
      containerId: request.sandboxId,
      netns: request.netnsPath,
      ifName: podInterfaceName,
      args: podCniArgs(request),
      capabilityArgs: capabilityArgs(ports, bandwidth),
    };
    const entry: CacheEntry = { kind: 'cniCacheV1', containerId: request.sandboxId, config, runtime };
    const netns = await identifyNetns(request.netnsPath);
    if (netns) entry.netns = netns;
    await this.#cache.put(entry);
    let result: CniResult;
    try {
      const [main, loopback] = await Promise.allSettled([
        addNetworkList(this.#pluginDirs, config, runtime),
        addNetworkList(this.#pluginDirs, loopbackConfList(), { ...runtime, ifName: 'lo' }),
      ]);
      // Both ran to their end; the pod network's error is the one to report.
      if (main.status === 'rejected') throw main.reason;
      if (loopback.status === 'rejected') throw loopback.reason;
      result = main.value;
    } catch (error) {
      // Undo what the plugins before the failing one did; the ADD's error is the one to report.
      await this.#tearDown(request).catch(() => {});
      throw error;
    }
    await this.#cache.put({ ...entry, result });
    return { ips: resultIPs(result) };
  }

  async #tearDown(request: PodNetworkTeardown): Promise<void> {
    const entry = (await this.#cache.get(request.sandboxId)) ?? this.#uncachedEntry(request);
    const netns = await netnsForDelete(request.netnsPath, entry.netns);
    const runtime: RuntimeConf = { ...entry.runtime, netns };
    await Promise.all([
      delNetworkList(this.#pluginDirs, entry.config, runtime, entry.result),
      netns === '' ? undefined : delNetworkList(this.#pluginDirs, loopbackConfList(), { ...runtime, ifName: 'lo' }, undefined),
    ]);
    if (netns === '') await removeStrayVeths(entry, this.#settings.bridgeName);
    await this.#cache.delete(request.sandboxId);
  }

  /** Without a cache entry (never set up, or already torn down) DEL runs every plugin there is. */
  #uncachedEntry(request: PodNetworkTeardown): CacheEntry {
    return {
      kind: 'cniCacheV1',
      containerId: request.sandboxId,
      config: podConfList(this.#settings, { ports: true, bandwidth: true }),
      runtime: { containerId: request.sandboxId, netns: '', ifName: podInterfaceName, args: podCniArgs(request), capabilityArgs: {} },
    };
  }

  async #serialized<T>(sandboxId: string, action: () => Promise<T>): Promise<T> {
    const previous = this.#busy.get(sandboxId) ?? Promise.resolve();
    const current = previous.catch(() => {}).then(action);
    this.#busy.set(sandboxId, current);
    try {
      return await current;
    } finally {
      if (this.#busy.get(sandboxId) === current) this.#busy.delete(sandboxId);
    }
  }
}

/** The pod's addresses from a CNI result, without prefix length and without loopback. */
export function resultIPs(result: CniResult): string[] {
  return (result.ips ?? []).map((ip) => ip.address.split('/')[0]!).filter((ip) => !ip.startsWith('127.') && ip !== '::1');
}
