// The pod's sandbox: the plan's new one (pod cgroup, infra process, network) or the newest ready
// one; its IPs, and the /etc/hosts every container mounts. In two steps, so that the pod's
// containers can be created while its network comes up:
//   startSandbox    the infra process and an /etc/hosts file (empty until the IPs are known); the
//                   network (CNI) of a new sandbox starts as soon as its namespace exists, while
//                   the infra process is started
//   connectSandbox  the network set up (awaited, or begun for a sandbox that had none) and
//                   /etc/hosts with the pod's IPs
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { hostNetworkHostsFile, managedHostsFile } from '../kuberuntime/hosts.ts';
import { podHostnameAndDomain } from '../kuberuntime/hostname.ts';
import { podSandboxConfig } from '../kuberuntime/sandbox_config.ts';
import type { PodSandboxStatus } from '../runtime/runtime.ts';
import { podDir, podLogDir, type WorkerContext } from './context.ts';
import { WaitingError } from './deps.ts';
import { readySandbox, type RuntimePod } from './observe.ts';

/** The kubelet's --cluster-domain default. */
const CLUSTER_DOMAIN = 'cluster.local';

/** A sandbox whose infra process runs; its network may still be coming up. */
export interface StartedSandbox {
  sandbox: PodSandboxStatus;
  /** The pod's /etc/hosts on the node: containers bind-mount it, so it exists from the start. */
  hostsPath: string;
  /** The pod's IPs from the network set up while a new sandbox started. */
  networkSetUp?: Promise<string[]>;
}

export interface PodSandbox extends StartedSandbox {
  podIPs: string[];
}

/** The sandbox to create containers in: a new one (of that attempt) or the newest ready one. */
export async function startSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod, create: { attempt: number } | undefined): Promise<StartedSandbox> {
  const made = create === undefined ? readyOne(observed) : await createSandbox(ctx, pod, create.attempt);
  if (made === undefined) throw new WaitingError('ContainerCreating', 'the pod sandbox is not ready');
  return { ...made, hostsPath: await ensureHostsFile(ctx, pod) };
}

function readyOne(observed: RuntimePod): { sandbox: PodSandboxStatus } | undefined {
  const sandbox = readySandbox(observed);
  return sandbox && { sandbox };
}

/**
 * The sandbox's network and the /etc/hosts naming its IPs. When the network fails, the sandbox is
 * of no use: the caller removes it (once nothing is being created in it) and the next sync starts over.
 */
export async function connectSandbox(ctx: WorkerContext, pod: Pod, started: StartedSandbox): Promise<PodSandbox> {
  const podIPs = await sandboxIPs(ctx, pod, started);
  await writeHostsFile(pod, started.hostsPath, podIPs);
  return { ...started, podIPs };
}

/** Removes a sandbox whose network failed (with whatever was created in it). */
export async function dropSandbox(ctx: WorkerContext, started: StartedSandbox): Promise<void> {
  await ctx.runtime.removeSandbox(started.sandbox.id).catch(() => undefined);
}

async function createSandbox(ctx: WorkerContext, pod: Pod, attempt: number): Promise<Omit<StartedSandbox, 'hostsPath'>> {
  const logDirectory = podLogDir(ctx, pod);
  await mkdir(logDirectory, { recursive: true });
  const cgroupParent = await ensurePodCgroup(ctx, pod);
  let early: { sandboxId: string; ips: Promise<string[]> } | undefined;
  const onNetworkNamespace = (sandboxId: string, netnsPath: string) => {
    const ips = ctx.network.setUp({ sandboxId, netnsPath, pod });
    ips.catch(() => undefined); // awaited by connectSandbox, or below when the sandbox failed
    early = { sandboxId, ips };
  };
  try {
    const config = podSandboxConfig(pod, {
      logDirectory, attempt, cgroupParent, nodeResolvConf: ctx.node().resolvConf, clusterDomain: CLUSTER_DOMAIN,
      onWarning: (w) => void ctx.recorder.event(pod, 'Warning', w.reason, w.message),
    });
    const id = await ctx.runtime.runSandbox(config, { onNetworkNamespace });
    return { sandbox: await ctx.runtime.sandboxStatus(id), networkSetUp: early?.ips };
  } catch (err) {
    // The sandbox and its namespace are gone: what the network holds on the node goes too.
    if (early !== undefined) await early.ips.then(() => ctx.network.tearDown({ sandboxId: early!.sandboxId, netnsPath: '', pod }), () => undefined);
    throw await sandboxFailure(ctx, pod, err);
  }
}

/** The pod's cgroup with its limits, as the kubelet ensures it before the sandbox. */
async function ensurePodCgroup(ctx: WorkerContext, pod: Pod): Promise<string> {
  try {
    return await ctx.cgroups.ensureExists(pod);
  } catch (err) {
    const message = `unable to ensure pod container exists: ${(err as Error).message}`;
    await ctx.recorder.event(pod, 'Warning', 'FailedCreatePodContainer', message);
    throw new WaitingError('ContainerCreating', message, { cause: err });
  }
}

async function sandboxIPs(ctx: WorkerContext, pod: Pod, { sandbox, networkSetUp }: StartedSandbox): Promise<string[]> {
  if (pod.spec?.hostNetwork === true) return [ctx.node().hostIP];
  const known = networkSetUp === undefined ? await ctx.network.podIPs(sandbox.id) : undefined;
  if (known !== undefined) return known;
  try {
    return await (networkSetUp ?? ctx.network.setUp({ sandboxId: sandbox.id, netnsPath: sandbox.netNamespacePath, pod }));
  } catch (err) {
    throw await sandboxFailure(ctx, pod, err);
  }
}

async function sandboxFailure(ctx: WorkerContext, pod: Pod, err: unknown): Promise<WaitingError> {
  const message = `Failed to create pod sandbox: ${(err as Error).message}`;
  await ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', message);
  return new WaitingError('ContainerCreating', message, { cause: err });
}

/** The pod's /etc/hosts file, created empty if it is not there yet. */
async function ensureHostsFile(ctx: WorkerContext, pod: Pod): Promise<string> {
  const dir = podDir(ctx, pod.metadata?.uid ?? '');
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'etc-hosts');
  await writeFile(path, '', { flag: 'a' });
  return path;
}

/**
 * The kubelet-managed /etc/hosts; a hostNetwork pod gets the node's own. Written in place, not
 * renamed over: containers bind-mount this very file.
 */
async function writeHostsFile(pod: Pod, path: string, podIPs: string[]): Promise<void> {
  const name = podHostnameAndDomain(pod, CLUSTER_DOMAIN);
  const content = pod.spec?.hostNetwork === true
    ? hostNetworkHostsFile(pod, await readFile('/etc/hosts', 'utf8'))
    : managedHostsFile(pod, podIPs, name.hostname, name.domain);
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== content) await writeFile(path, content);
}
