// Carrying out a pod's plan (the kubelet's SyncPod), in this order:
//   1. kill the pod (every container, sidecars last, then the sandbox), or the containers to kill
//   2. a new sandbox: SandboxChanged when it replaces one, the old init containers removed so that
//      initialization starts over; else the ready one — beside it, the volumes, and the images and
//      root filesystems of the containers to start
//   3. the sandbox's network — beside it, the containers to start are created (when no init
//      container runs first; one whose env names the pod's IPs waits for them)
//   4. init containers to start, one at a time in order (a regular one that fails to start stops here)
//   5. containers to start: created together, started in the spec's order, postStart hooks included
// Nothing starts before the network is up, as with the kubelet; what overlaps is only what a pod
// needs before that. Every start first asks the crash back-off; what keeps a container from
// running becomes its waiting reason, and the time to look again the sync's requeue.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { WaitingReason } from '../status/containers.ts';
import { podContext, type WorkerContext } from './context.ts';
import { crashBackOff } from './crash_backoff.ts';
import { WaitingError } from './deps.ts';
import { killContainer } from './kill.ts';
import { latestContainers, type RuntimePod } from './observe.ts';
import { restartsOnFailure, type PodActions } from './plan.ts';
import { connectSandbox, dropSandbox, startSandbox, type PodSandbox, type StartedSandbox } from './sandbox.ts';
import { createContainer, needsPodIPs, prepareContainer, recordCreated, startCreated } from './start.ts';
import { killPod, removeAttempt } from './terminate.ts';

/** How soon a pod whose containers wait on an error (image, config, sandbox) is looked at again. */
const RETRY_MS = 5_000;

/** One sync's findings: why containers wait, and when to look again. */
export interface SyncOutcome {
  waiting: Map<string, WaitingReason>;
  requeueAfterMs?: number;
  /** The sandbox's IPs, once known: a pod that ends in this sync keeps them in its status. */
  podIPs?: string[];
}

/**
 * `report` writes the status of what the sync found: called before a container that exited is
 * started again, so that its terminated state (Error, OOMKilled, Completed) shows until then, as
 * the kubelet's status, written before it acts, shows it.
 */
export async function syncPod(ctx: WorkerContext, pod: Pod, observed: RuntimePod, actions: PodActions, report: (found: SyncOutcome) => Promise<void>): Promise<SyncOutcome> {
  const outcome: SyncOutcome = { waiting: new Map() };
  if (actions.killPod) await killPod(ctx, pod, observed);
  else for (const kill of actions.containersToKill) await killRunning(ctx, pod, observed, kill);
  if (actions.killPod && !actions.createSandbox) return outcome;
  const toStart = actions.containersToStart.filter((c) => startable(ctx, pod, c, observed, outcome));
  const latest = latestContainers(observed);
  if (toStart.some((c) => latest.get(c.name)?.state === 'exited')) await report(outcome);
  // With no init container to run first, the containers are made ready while the sandbox starts.
  const early = actions.initContainersToStart.length === 0 ? new ContainerCreation(ctx, pod, observed, toStart, outcome) : undefined;
  const started = await waitingOn(outcome, () => startedSandbox(ctx, pod, observed, actions));
  if (started === undefined) {
    await early?.settled();
    return outcome;
  }
  const network = connectSandbox(ctx, pod, started);
  early?.createIn(started, network);
  const sandbox = await waitingOn(outcome, () => network);
  if (sandbox === undefined) {
    // Nothing runs in a sandbox without a network: it goes once nothing is being created in it.
    await early?.settled();
    await dropSandbox(ctx, started);
    return outcome;
  }
  outcome.podIPs = sandbox.podIPs;
  if (!await startInitContainers(ctx, pod, observed, actions, sandbox, outcome)) return outcome;
  const creation = early ?? new ContainerCreation(ctx, pod, observed, toStart, outcome);
  if (early === undefined) creation.createIn(sandbox, Promise.resolve(sandbox));
  const ids = await creation.ids();
  for (const [i, id] of ids.entries()) {
    const container = toStart[i]!;
    if (id === undefined) continue;
    recordCreated(ctx, pod, container);
    await step(outcome, pod, container, () => startCreated(ctx, pod, container, id, sandbox.podIPs[0] ?? ''));
  }
  return outcome;
}

/**
 * The containers to start, from image to created container: prepared (image, rootfs) at once,
 * created once given a sandbox — a container whose env names the pod's IPs once its network is up.
 */
interface CreationTarget {
  started: StartedSandbox;
  network: Promise<PodSandbox>;
}

class ContainerCreation {
  private readonly created: Promise<string | undefined>[];
  private give: (target: CreationTarget | undefined) => void = () => undefined;

  constructor(ctx: WorkerContext, pod: Pod, observed: RuntimePod, containers: Container[], outcome: SyncOutcome) {
    const attempt = nextAttempts(observed);
    const target = new Promise<CreationTarget | undefined>((resolve) => { this.give = resolve; });
    this.created = containers.map(async (c) => {
      const ready = await step(outcome, pod, c, () => prepareContainer(ctx, pod, c, attempt(c)));
      const to = ready && await target;
      const sandbox = to && (needsPodIPs(c) ? await to.network.catch(() => undefined) : to.started);
      return sandbox && step(outcome, pod, c, () => createContainer(ctx, pod, c, sandbox, attempt(c), ready));
    });
  }

  createIn(started: StartedSandbox, network: Promise<PodSandbox>): void {
    this.give({ started, network });
  }

  /** The created containers' ids, in order (undefined where a step failed). */
  ids(): Promise<(string | undefined)[]> {
    return Promise.all(this.created);
  }

  /** Once nothing is being prepared or created any more; without a sandbox, nothing is created. */
  async settled(): Promise<void> {
    this.give(undefined);
    await Promise.allSettled(this.created);
  }
}

/** Step 2: the sandbox to use (new or ready), and the pod's volumes set up beside it. */
async function startedSandbox(ctx: WorkerContext, pod: Pod, observed: RuntimePod, actions: PodActions): Promise<StartedSandbox> {
  if (actions.createSandbox) await purgeForNewSandbox(ctx, pod, observed);
  // A volume never names the pod's IPs (the downward API gives them to env only).
  const [started, volumes] = await Promise.allSettled([
    startSandbox(ctx, pod, observed, actions.createSandbox ? { attempt: actions.sandboxAttempt } : undefined),
    ctx.volumes.setUp(pod, podContext(ctx, [])),
  ]);
  // Both ran to their end; a sandbox made beside volumes that failed is the next sync's.
  if (volumes.status === 'rejected') throw volumes.reason;
  if (started.status === 'rejected') throw started.reason;
  return started.value;
}

/** Step 4: false when a regular init container could not be started (nothing after it starts). */
async function startInitContainers(ctx: WorkerContext, pod: Pod, observed: RuntimePod, actions: PodActions, sandbox: PodSandbox, outcome: SyncOutcome): Promise<boolean> {
  const attempt = nextAttempts(observed);
  for (const container of actions.initContainersToStart) {
    const create = async () => {
      const id = await createContainer(ctx, pod, container, sandbox, attempt(container), await prepareContainer(ctx, pod, container, attempt(container)));
      recordCreated(ctx, pod, container);
      return id;
    };
    const id = await step(outcome, pod, container, () => startable(ctx, pod, container, observed, outcome) && create());
    const started = id !== undefined && await step(outcome, pod, container, () => startCreated(ctx, pod, container, id, sandbox.podIPs[0] ?? '').then(() => true));
    if (started !== true && container.restartPolicy !== 'Always') return false;
  }
  return true;
}

/** A sandbox step; a WaitingError (the event is recorded) becomes a retry of the whole pod. */
async function waitingOn<T>(outcome: SyncOutcome, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof WaitingError)) throw err;
    outcome.requeueAfterMs = RETRY_MS;
    return undefined;
  }
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
  for (const c of observed.containers.filter((x) => initNames.has(x.metadata.name))) await removeAttempt(ctx, observed.uid, c);
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
