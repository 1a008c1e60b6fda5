// Carrying out a pod's plan (the kubelet's SyncPod), in this order:
//   1. kill the pod (every container, sidecars last, then the sandbox), or the containers to kill
//   2. a new sandbox: SandboxChanged when it replaces one, the old init containers removed so that
//      initialization starts over; else the ready one
//   3. volumes
//   4. init containers to start, one at a time in order (a regular one that fails to start stops here)
//   5. containers to start: created together, started in the spec's order, postStart hooks included
// Every start first asks the crash back-off; what keeps a container from running becomes its
// waiting reason, and the time to look again the sync's requeue.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { WaitingReason } from '../status/containers.ts';
import { podContext, containerDir, type WorkerContext } from './context.ts';
import { crashBackOff } from './crash_backoff.ts';
import { WaitingError } from './deps.ts';
import { ignoreNotFound, killContainer } from './kill.ts';
import { latestContainers, type RuntimePod } from './observe.ts';
import { restartsOnFailure, type PodActions } from './plan.ts';
import { podSandbox, type PodSandbox } from './sandbox.ts';
import { createContainer, startCreated } from './start.ts';
import { killPod } from './terminate.ts';

/** How soon a pod whose containers wait on an error (image, config, sandbox) is looked at again. */
const RETRY_MS = 5_000;

/** One sync's findings: why containers wait, and when to look again. */
export interface SyncOutcome {
  waiting: Map<string, WaitingReason>;
  requeueAfterMs?: number;
  /** The sandbox's IPs, once known: a pod that ends in this sync keeps them in its status. */
  podIPs?: string[];
}

export async function syncPod(ctx: WorkerContext, pod: Pod, observed: RuntimePod, actions: PodActions): Promise<SyncOutcome> {
  const outcome: SyncOutcome = { waiting: new Map() };
  if (actions.killPod) await killPod(ctx, pod, observed);
  else for (const kill of actions.containersToKill) await killRunning(ctx, pod, observed, kill);
  if (actions.killPod && !actions.createSandbox) return outcome;
  let sandbox: PodSandbox;
  try {
    if (actions.createSandbox) await purgeForNewSandbox(ctx, pod, observed);
    sandbox = await podSandbox(ctx, pod, observed, actions.createSandbox ? { attempt: actions.sandboxAttempt } : undefined);
    outcome.podIPs = sandbox.podIPs;
    await ctx.volumes.setUp(pod, podContext(ctx, sandbox.podIPs));
  } catch (err) {
    if (!(err instanceof WaitingError)) throw err;
    return { ...outcome, requeueAfterMs: RETRY_MS };
  }
  const attempt = nextAttempts(observed);
  for (const container of actions.initContainersToStart) {
    const id = await step(outcome, pod, container, () => startable(ctx, pod, container, observed, outcome) && createContainer(ctx, pod, container, sandbox, attempt(container)));
    const started = id !== undefined && await step(outcome, pod, container, () => startCreated(ctx, pod, container, id, sandbox.podIPs[0] ?? '').then(() => true));
    if (started !== true && container.restartPolicy !== 'Always') return outcome;
  }
  const toStart = actions.containersToStart.filter((c) => startable(ctx, pod, c, observed, outcome));
  // Pulls, configs and creates of the pod's containers overlap; starts keep the spec's order.
  const created = await Promise.all(toStart.map((c) => step(outcome, pod, c, () => createContainer(ctx, pod, c, sandbox, attempt(c)))));
  for (const [i, id] of created.entries()) {
    const container = toStart[i]!;
    if (id !== undefined) await step(outcome, pod, container, () => startCreated(ctx, pod, container, id, sandbox.podIPs[0] ?? ''));
  }
  return outcome;
}

async function killRunning(ctx: WorkerContext, pod: Pod, observed: RuntimePod, kill: PodActions['containersToKill'][number]): Promise<void> {
  const status = observed.containers.find((c) => c.id === kill.containerId);
  if (status !== undefined) await killContainer(ctx, pod, status, { message: kill.message, reason: kill.reason });
}

/** A sandbox replacing another: the event, and the old init containers gone so that they run again. */
async function purgeForNewSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod): Promise<void> {
  if (observed.sandboxes.length === 0) return;
  await ctx.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
  const initNames = new Set((pod.spec?.initContainers ?? []).map((c) => c.name));
  for (const c of observed.containers.filter((x) => initNames.has(x.metadata.name))) {
    await ignoreNotFound(ctx.runtime.removeContainer(c.id));
    await ctx.images.unmountRootfs(containerDir(ctx, observed.uid, c.metadata.name, c.metadata.attempt));
  }
}

/** Attempt numbers go on from the newest attempt the runtime had before this sync. */
function nextAttempts(observed: RuntimePod): (container: Container) => number {
  const latest = latestContainers(observed);
  return (container) => (latest.get(container.name)?.metadata.attempt ?? -1) + 1;
}

/** False while the container's crash back-off lasts (recorded as its waiting reason). */
function startable(ctx: WorkerContext, pod: Pod, container: Container, observed: RuntimePod, outcome: SyncOutcome): boolean {
  const backingOff = crashBackOff(ctx, pod, container, observed);
  if (backingOff === undefined) return true;
  outcome.waiting.set(container.name, backingOff.waiting);
  outcome.requeueAfterMs = Math.min(outcome.requeueAfterMs ?? backingOff.remainingMs, backingOff.remainingMs);
  return false;
}

/** Runs a step; a WaitingError becomes the container's waiting reason and a later retry. */
async function step<T>(outcome: SyncOutcome, pod: Pod, container: Container, run: () => Promise<T> | false): Promise<T | undefined> {
  try {
    const result = await run();
    return result === false ? undefined : result;
  } catch (err) {
    if (!(err instanceof WaitingError)) throw err;
    // A container that will not run again keeps its terminated state rather than a waiting reason.
    if (err.reason !== 'PostStartHookError' || restartsOnFailure(pod)) outcome.waiting.set(container.name, { reason: err.reason, message: err.message });
    outcome.requeueAfterMs = Math.min(outcome.requeueAfterMs ?? RETRY_MS, RETRY_MS);
    return undefined;
  }
}
