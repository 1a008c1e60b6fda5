// The pod worker: one level-triggered sync per pod UID (the work queue keeps a UID to one sync at
// a time). It compares the API's pod with what the runtime holds and acts:
//
//   gone from the API ──────────▶ kill (grace 0) ─▶ remove everything
//   deletionTimestamp ──────────▶ kill (grace) ─▶ remove everything ─▶ confirm deletion (grace 0)
//   phase Succeeded/Failed ─────▶ stop the sandbox, keep the containers' record
//   otherwise ─▶ sandbox ─▶ volumes ─▶ each container: running? keep : restart? (back-off) image → env →
//                mounts → rootfs → create → start ─▶ prune old attempts ─▶ status (PATCH only on change)
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import type { SyncResult } from '../../client/worker.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import type { WaitingReason } from '../status/containers.ts';
import { generatePodStatus } from '../status/generate.ts';
import type { StatusManager } from '../status/manager.ts';
import { formatPod } from '../kuberuntime/errors.ts';
import { podNameLabel, podNamespaceLabel } from '../kuberuntime/labels.ts';
import { podContext, type WorkerContext } from './context.ts';
import { WaitingError } from './deps.ts';
import { goDuration } from '../duration.ts';
import { latestContainers, observePod, type RuntimePod } from './observe.ts';
import { ensureSandbox, type PodSandbox } from './sandbox.ts';
import { createContainer, startCreated } from './start.ts';
import { killPod, pruneContainers, removePod } from './terminate.ts';

/** How soon a pod whose containers wait on an error (image, config, sandbox) is looked at again. */
const RETRY_MS = 5_000;

interface PodRecord {
  pod: Pod;
  startTime: Date;
  /** Set once the worker found the pod finished: it never runs again, whatever the informer still shows. */
  terminal?: PodStatus;
}

/** One sync's findings: why containers wait, and when to look again. */
interface SyncOutcome {
  waiting: Map<string, WaitingReason>;
  requeueAfterMs?: number;
}

export class PodWorker {
  private readonly ctx: WorkerContext;
  private readonly status: Pick<StatusManager, 'setStatus' | 'confirmDeletion' | 'forget'>;
  private readonly records = new Map<string, PodRecord>();

  constructor(ctx: WorkerContext, status: Pick<StatusManager, 'setStatus' | 'confirmDeletion' | 'forget'>) {
    this.ctx = ctx;
    this.status = status;
  }

  /** One pass over pod `uid`; `apiPod` is the API's latest, undefined once it is gone. */
  async sync(uid: string, apiPod: Pod | undefined): Promise<SyncResult> {
    const observed = await observePod(this.ctx.runtime, uid);
    if (apiPod === undefined) return this.remove(uid, this.records.get(uid)?.pod ?? podFromLabels(observed), observed, 0);
    this.remember(uid, apiPod);
    if (apiPod.metadata?.deletionTimestamp) {
      await this.remove(uid, apiPod, observed, gracePeriod(apiPod));
      return this.status.confirmDeletion(apiPod);
    }
    const terminal = this.records.get(uid)?.terminal;
    if (isTerminal(apiPod.status) || terminal !== undefined) {
      if (observed.sandboxes.some((s) => s.state === 'ready')) await killPod(this.ctx, apiPod, observed, 0, true);
      // Our last write may not have reached the informer yet: the finished status still stands.
      if (terminal !== undefined) await this.status.setStatus(apiPod, terminal);
      return undefined;
    }
    return this.syncRunning(apiPod, observed);
  }

  /** UIDs the worker knows, for the agent's cleanup of pods that vanished while it was down. */
  knownUids(): string[] {
    return [...this.records.keys()];
  }

  private async remove(uid: string, pod: Pod, observed: RuntimePod, graceSeconds: number): Promise<void> {
    await killPod(this.ctx, pod, observed, graceSeconds, graceSeconds === 0);
    await removePod(this.ctx, pod, await observePod(this.ctx.runtime, uid));
    this.records.delete(uid);
    this.status.forget(uid);
  }

  private async syncRunning(pod: Pod, observed: RuntimePod): Promise<SyncResult> {
    const outcome = await this.startContainers(pod, observed);
    let after = await observePod(this.ctx.runtime, observed.uid);
    await pruneContainers(this.ctx, after);
    let status = await this.generateStatus(pod, after, outcome);
    if (isTerminal(status)) {
      // Nothing will run in this pod again: its infra and network go now, as the kubelet's do.
      await killPod(this.ctx, pod, after, 0, true);
      after = await observePod(this.ctx.runtime, observed.uid);
      status = await this.generateStatus(pod, after, outcome);
      this.remember(observed.uid, pod).terminal = status;
    }
    await this.status.setStatus(pod, status);
    return outcome.requeueAfterMs === undefined ? undefined : { requeueAfterMs: outcome.requeueAfterMs };
  }

  private async startContainers(pod: Pod, observed: RuntimePod): Promise<SyncOutcome> {
    const outcome: SyncOutcome = { waiting: new Map() };
    let sandbox: PodSandbox;
    try {
      sandbox = await ensureSandbox(this.ctx, pod, observed);
      await this.ctx.volumes.setUp(pod, podContext(this.ctx, sandbox.podIPs));
    } catch (err) {
      if (!(err instanceof WaitingError)) throw err;
      return { waiting: new Map(), requeueAfterMs: RETRY_MS };
    }
    const latest = latestContainers(observed);
    const toStart = (pod.spec?.containers ?? []).flatMap((container) => {
      const attempt = this.nextAttempt(pod, container, latest.get(container.name), sandbox, outcome);
      return attempt === undefined ? [] : [{ container, attempt }];
    });
    // Pulls, configs and creates of the pod's containers overlap; starts keep the spec's order.
    const created = await Promise.all(toStart.map(({ container, attempt }) =>
      this.waitingOn(outcome, container, () => createContainer(this.ctx, pod, container, sandbox, attempt))));
    for (const [i, id] of created.entries()) {
      const { container } = toStart[i]!;
      if (id !== undefined) await this.waitingOn(outcome, container, () => startCreated(this.ctx, pod, container, id));
    }
    return outcome;
  }

  /** Runs a step; a WaitingError becomes the container's waiting reason and a later retry. */
  private async waitingOn<T>(outcome: SyncOutcome, container: Container, step: () => Promise<T>): Promise<T | undefined> {
    try {
      return await step();
    } catch (err) {
      if (!(err instanceof WaitingError)) throw err;
      outcome.waiting.set(container.name, { reason: err.reason, message: err.message });
      outcome.requeueAfterMs = Math.min(outcome.requeueAfterMs ?? RETRY_MS, RETRY_MS);
      return undefined;
    }
  }

  /** The attempt number to start now, or undefined when the container stays as it is. */
  private nextAttempt(pod: Pod, container: Container, latest: ContainerStatus | undefined, sandbox: PodSandbox, outcome: SyncOutcome): number | undefined {
    if (latest === undefined) return 0;
    const current = latest.sandboxId === sandbox.sandbox.id;
    if (current && latest.state !== 'exited') return undefined;
    if (latest.state === 'exited' && !shouldRestart(pod, latest.exitCode ?? 0)) return undefined;
    if (latest.state === 'exited') {
      const key = `${pod.metadata?.uid}/${container.name}`;
      const remaining = this.ctx.backoff.remaining(key, (latest.finishedAt ?? latest.createdAt).getTime());
      if (remaining > 0) {
        this.backingOff(pod, container, key, outcome, remaining);
        return undefined;
      }
      this.ctx.backoff.next(key);
    }
    return latest.metadata.attempt + 1;
  }

  private backingOff(pod: Pod, container: Container, key: string, outcome: SyncOutcome, remaining: number): void {
    const delay = goDuration(this.ctx.backoff.delay(key));
    outcome.waiting.set(container.name, {
      reason: 'CrashLoopBackOff',
      message: `back-off ${delay} restarting failed container=${container.name} pod=${formatPod(pod)}`,
    });
    outcome.requeueAfterMs = Math.min(outcome.requeueAfterMs ?? remaining, remaining);
    void this.ctx.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`);
  }

  private async generateStatus(pod: Pod, observed: RuntimePod, outcome: SyncOutcome): Promise<PodStatus> {
    const record = this.remember(observed.uid, pod);
    const sandbox = observed.sandboxes[0];
    const podIPs = pod.spec?.hostNetwork === true ? [this.ctx.node().hostIP]
      : sandbox === undefined ? [] : await this.ctx.network.podIPs(sandbox.id) ?? [];
    return generatePodStatus(pod, {
      sandboxReady: sandbox?.state === 'ready', podIPs, hostIP: this.ctx.node().hostIP,
      containers: observed.containers, waiting: outcome.waiting, startTime: record.startTime,
    }, this.ctx.now());
  }

  private remember(uid: string, pod: Pod): PodRecord {
    const record = this.records.get(uid) ?? { pod, startTime: this.ctx.now() };
    record.pod = pod;
    this.records.set(uid, record);
    return record;
  }
}

function isTerminal(status: PodStatus | undefined): boolean {
  return status?.phase === 'Succeeded' || status?.phase === 'Failed';
}

function shouldRestart(pod: Pod, exitCode: number): boolean {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

function gracePeriod(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
}

/** A pod the API no longer has and the agent never saw (it was down): named from runtime labels. */
function podFromLabels(observed: RuntimePod): Pod {
  const source = observed.sandboxes[0]?.labels ?? observed.containers[0]?.labels ?? {};
  return { metadata: { uid: observed.uid, name: source[podNameLabel] ?? '', namespace: source[podNamespaceLabel] ?? '' } };
}
