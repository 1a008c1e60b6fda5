// The pod's sandbox: the plan's new one (pod cgroup, infra process, then network) or the newest
// ready one; its IPs, and the /etc/hosts every container mounts.
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

export interface PodSandbox {
  sandbox: PodSandboxStatus;
  podIPs: string[];
  /** The pod's /etc/hosts on the node. */
  hostsPath: string;
}

/** The sandbox to start containers in: a new one (of that attempt) or the newest ready one. */
export async function podSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod, create: { attempt: number } | undefined): Promise<PodSandbox> {
  const sandbox = create === undefined ? readySandbox(observed) : await createSandbox(ctx, pod, create.attempt);
  if (sandbox === undefined) throw new WaitingError('ContainerCreating', 'the pod sandbox is not ready');
  const podIPs = await sandboxIPs(ctx, pod, sandbox);
  const hostsPath = await writeHostsFile(ctx, pod, podIPs);
  return { sandbox, podIPs, hostsPath };
}

async function createSandbox(ctx: WorkerContext, pod: Pod, attempt: number): Promise<PodSandboxStatus> {
  const logDirectory = podLogDir(ctx, pod);
  await mkdir(logDirectory, { recursive: true });
  const cgroupParent = await ensurePodCgroup(ctx, pod);
  try {
    const config = podSandboxConfig(pod, {
      logDirectory, attempt, cgroupParent, nodeResolvConf: ctx.node().resolvConf, clusterDomain: CLUSTER_DOMAIN,
      onWarning: (w) => void ctx.recorder.event(pod, 'Warning', w.reason, w.message),
    });
    const id = await ctx.runtime.runSandbox(config);
    return await ctx.runtime.sandboxStatus(id);
  } catch (err) {
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

async function sandboxIPs(ctx: WorkerContext, pod: Pod, sandbox: PodSandboxStatus): Promise<string[]> {
  if (pod.spec?.hostNetwork === true) return [ctx.node().hostIP];
  const known = await ctx.network.podIPs(sandbox.id);
  if (known !== undefined) return known;
  try {
    return await ctx.network.setUp({ sandboxId: sandbox.id, netnsPath: sandbox.netNamespacePath, pod });
  } catch (err) {
    // A sandbox without a network is no use: drop it so that the next sync starts over.
    await ctx.runtime.removeSandbox(sandbox.id).catch(() => undefined);
    throw await sandboxFailure(ctx, pod, err);
  }
}

async function sandboxFailure(ctx: WorkerContext, pod: Pod, err: unknown): Promise<WaitingError> {
  const message = `Failed to create pod sandbox: ${(err as Error).message}`;
  await ctx.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', message);
  return new WaitingError('ContainerCreating', message, { cause: err });
}

/** The kubelet-managed /etc/hosts; a hostNetwork pod gets the node's own. */
async function writeHostsFile(ctx: WorkerContext, pod: Pod, podIPs: string[]): Promise<string> {
  const path = join(podDir(ctx, pod.metadata?.uid ?? ''), 'etc-hosts');
  const name = podHostnameAndDomain(pod, CLUSTER_DOMAIN);
  const content = pod.spec?.hostNetwork === true
    ? hostNetworkHostsFile(pod, await readFile('/etc/hosts', 'utf8'))
    : managedHostsFile(pod, podIPs, name.hostname, name.domain);
  await mkdir(podDir(ctx, pod.metadata?.uid ?? ''), { recursive: true });
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current !== content) await writeFile(path, content);
  return path;
}
