// Stopping containers (the kubelet's killContainer and killContainersWithSyncResult):
//
//   grace = deletion grace period ?? (probe-level grace for a liveness/startup kill) ?? spec's
//   Killing event ─▶ preStop hook, cut off at the grace period; its time comes off the grace
//   (FailedPreStopHook "PreStopHook failed" on failure) ─▶ at least 2 s left ─▶ stop signal,
//   then SIGKILL once the rest of the grace period is over (runtime stopContainer)
//
// A pod's containers stop together; its sidecars only after them, last started first.
import type { Container, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.d.ts';
import { RuntimeError, type ContainerStatus } from '../runtime/runtime.ts';
import { isSidecar } from '../kuberuntime/labels.ts';
import type { WorkerContext } from './context.ts';
import type { KillReason } from './plan.ts';

/** The kubelet always leaves a container this long to stop, preStop hook or not. */
const minimumGraceSeconds = 2;

export interface KillOptions {
  /** The Killing event's message; "Stopping container NAME" without it. */
  message?: string;
  reason?: KillReason;
  /** Replaces the pod's grace period, minimum and preStop budget included (0: SIGKILL at once, no hook). */
  gracePeriodOverride?: number;
  /** No Killing event: the pod's remains are being cleaned up. */
  quiet?: boolean;
}

export async function killContainer(ctx: WorkerContext, pod: Pod, status: ContainerStatus, options: KillOptions = {}): Promise<void> {
  const container = specOf(pod, status.metadata.name);
  if (options.quiet !== true) {
    await ctx.recorder.event(pod, 'Normal', 'Killing', options.message ?? `Stopping container ${status.metadata.name}`);
  }
  let grace = options.gracePeriodOverride ?? gracePeriod(pod, container, options.reason);
  const preStop = container?.lifecycle?.preStop;
  if (preStop !== undefined && container !== undefined && grace > 0 && status.state === 'running') {
    grace -= await runPreStop(ctx, pod, { container, preStop, status }, grace);
  }
  if (options.gracePeriodOverride === undefined) grace = Math.max(grace, minimumGraceSeconds);
  await ignoreNotFound(ctx.runtime.stopContainer(status.id, grace));
}

/** Stops running containers: the regular ones together, then the sidecars one by one in reverse order. */
export async function killContainers(ctx: WorkerContext, pod: Pod, running: ContainerStatus[], options: KillOptions = {}): Promise<void> {
  const sidecarNames = (pod.spec?.initContainers ?? []).filter(isSidecar).map((c) => c.name);
  const regular = running.filter((c) => !sidecarNames.includes(c.metadata.name));
  await Promise.all(regular.map((c) => killContainer(ctx, pod, c, options)));
  for (const name of [...sidecarNames].reverse()) {
    await Promise.all(running.filter((c) => c.metadata.name === name).map((c) => killContainer(ctx, pod, c, options)));
  }
}

/** The kubelet's setTerminationGracePeriod. */
function gracePeriod(pod: Pod, container: Container | undefined, reason: KillReason | undefined): number {
  if (pod.metadata?.deletionGracePeriodSeconds != null) return pod.metadata.deletionGracePeriodSeconds;
  const probe = reason === 'LivenessProbe' ? container?.livenessProbe : reason === 'StartupProbe' ? container?.startupProbe : undefined;
  return probe?.terminationGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? minimumGraceSeconds;
}

interface PreStop {
  container: Container;
  preStop: LifecycleHandler;
  status: ContainerStatus;
}

/** Runs the preStop hook for at most `grace` seconds; returns the whole seconds it took. */
async function runPreStop(ctx: WorkerContext, pod: Pod, { container, preStop, status }: PreStop, grace: number): Promise<number> {
  const started = ctx.now().getTime();
  const podIP = (await ctx.network.podIPs(status.sandboxId))?.[0] ?? ctx.node().hostIP;
  const hook = ctx.hooks.run(preStop, { pod, container, containerId: status.id, podIP }).then(async (failure) => {
    // The message may hold secrets of the command line: the event does not carry it.
    if (failure !== undefined) await ctx.recorder.event(pod, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
  });
  await ctx.waitAtMost(grace * 1000, hook);
  return Math.floor((ctx.now().getTime() - started) / 1000);
}

function specOf(pod: Pod, name: string): Container | undefined {
  return [...pod.spec?.initContainers ?? [], ...pod.spec?.containers ?? []].find((c) => c.name === name);
}

export async function ignoreNotFound(step: Promise<void>): Promise<void> {
  try {
    await step;
  } catch (err) {
    if (!(err instanceof RuntimeError && err.code === 'NotFound')) throw err;
  }
}
