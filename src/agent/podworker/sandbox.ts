// The pod's sandbox: reuse the newest ready one, else kill what is left of the old one and make a
// new one (pod cgroup, infra process, then network). Its IPs, and the /etc/hosts every container mounts.
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
import { killPod } from './terminate.ts';

/** The kubelet's --cluster-domain default. */
const CLUSTER_DOMAIN = 'cluster.local';

export interface PodSandbox {
  sandbox: PodSandboxStatus;
  podIPs: string[];
  /** The pod's /etc/hosts on the node. */
  hostsPath: string;
}

export async function ensureSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod): Promise<PodSandbox> {
  const ready = readySandbox(observed);
  const sandbox = ready ?? await createSandbox(ctx, pod, observed);
  const podIPs = await sandboxIPs(ctx, pod, sandbox);
  const hostsPath = await writeHostsFile(ctx, pod, podIPs);
  return { sandbox, podIPs, hostsPath };
}

async function createSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod): Promise<PodSandboxStatus> {
  if (observed.sandboxes.length > 0) {
    await ctx.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
    await killPod(ctx, pod, observed, 0, true);
  }
  const logDirectory = podLogDir(ctx, pod);
  await mkdir(logDirectory, { recursive: true });
  const cgroupParent = await ensurePodCgroup(ctx, pod);
  try {
    const config = podSandboxConfig(pod, {
      logDirectory, attempt: observed.sandboxes.length, cgroupParent, nodeResolvConf: ctx.node().resolvConf, clusterDomain: CLUSTER_DOMAIN,
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
