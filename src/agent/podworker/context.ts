// Everything a pod worker step needs, in one place: the seams and the node's facts.
import { join } from 'node:path';
import type { LifecycleHandler, Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import type { HookTarget } from '../lifecycle/handlers.ts';
import type { ProbeResults } from '../prober/results.ts';
import type { EnvSources } from '../kuberuntime/env.ts';
import type { Backoff } from '../../client/backoff.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { podLogDirectory } from '../server/lookup.ts';
import type { ImageService, NetworkService, PodCgroups, PodContext, Recorder, VolumeService } from './deps.ts';

export interface NodeFacts {
  name: string;
  hostIP: string;
  allocatable: { cpu: string; memory: string };
  /** The node's /etc/resolv.conf, for dnsPolicy Default. */
  resolvConf: string;
}

export interface WorkerContext {
  runtime: Runtime;
  images: ImageService;
  volumes: VolumeService;
  network: NetworkService;
  cgroups: PodCgroups;
  recorder: Recorder;
  envSources: EnvSources;
  backoff: Backoff;
  /** The probes' latest results (liveness and startup kills, ready, started). */
  probes: ProbeResults;
  /** The probe workers: told each pod's new status, stopped when the pod ends. */
  probers: { update(pod: Pod, status: PodStatus): void; remove(podUid: string): Promise<void> };
  /** Lifecycle hooks: the kubelet's failure message, or undefined when the hook succeeded. */
  hooks: { run(handler: LifecycleHandler, target: HookTarget): Promise<string | undefined> };
  /** Resolves once `until` settles or `ms` passed, whichever comes first (a preStop hook's budget). */
  waitAtMost: (ms: number, until: Promise<unknown>) => Promise<void>;
  node: () => NodeFacts;
  /** DATA/pods: per-pod volumes, rootfs mounts, hosts file. */
  podsDir: string;
  /** DATA/logs: NS_NAME_UID/CONTAINER/ATTEMPT.log, the kubelet's /var/log/pods. */
  logsDir: string;
  now: () => Date;
}

export function podDir(ctx: WorkerContext, uid: string): string {
  return join(ctx.podsDir, uid);
}

export function podLogDir(ctx: WorkerContext, pod: Pod): string {
  return podLogDirectory(ctx.logsDir, pod);
}

/** Where a container attempt's rootfs (overlay upper/work and mount point) lives. */
export function containerDir(ctx: WorkerContext, uid: string, name: string, attempt: number): string {
  return join(ctx.podsDir, uid, 'containers', name, String(attempt));
}

export function podContext(ctx: WorkerContext, podIPs: string[]): PodContext {
  const node = ctx.node();
  return { nodeName: node.name, hostIP: node.hostIP, podIPs, nodeAllocatable: node.allocatable };
}
