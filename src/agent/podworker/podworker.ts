// The pod worker: one level-triggered sync per pod UID (the work queue keeps a UID to one sync at
// a time). It compares the API's pod with what the runtime holds, plans (actions.ts), then acts
// (syncpod.ts):
//
//   gone from the API ──────────▶ kill (grace 0) ─▶ remove everything
//   deletionTimestamp ──────────▶ kill (preStop, grace) ─▶ remove everything ─▶ confirm deletion
//   phase Succeeded/Failed ─────▶ stop the sandbox, keep the containers' record
//   past activeDeadlineSeconds ─▶ DeadlineExceeded: kill (grace), phase Failed
//   otherwise ─▶ computePodActions ─▶ syncPod ─▶ prune old attempts ─▶ status (PATCH only on change)
//                ─▶ probers see the new status; a finished pod stops its sandbox and probers
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import type { SyncResult } from '../../client/worker.ts';
import { generatePodStatus, type PodFailure } from '../status/generate.ts';
import type { StatusManager } from '../status/manager.ts';
import { podNameLabel, podNamespaceLabel } from '../kuberuntime/labels.ts';
import { computePodActions } from './actions.ts';
import type { WorkerContext } from './context.ts';
import { deadlineExceeded, deadlineRemaining } from './deadline.ts';
import type { KillOptions } from './kill.ts';
import { observePod, type RuntimePod } from './observe.ts';
import { syncPod, type SyncOutcome } from './syncpod.ts';
import { terminationMessages } from './termination_message.ts';
import { killPod, pruneContainers, removePod } from './terminate.ts';

interface PodRecord {
  pod: Pod;
  startTime: Date;
  /** Set once the worker found the pod finished: it never runs again, whatever the informer still shows. */
  terminal?: PodStatus;
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
    if (apiPod === undefined) return this.remove(uid, this.records.get(uid)?.pod ?? podFromLabels(observed), observed, { gracePeriodOverride: 0, quiet: true });
    const record = this.remember(uid, apiPod);
    if (apiPod.metadata?.deletionTimestamp) {
      await this.remove(uid, apiPod, observed, {});
      return this.status.confirmDeletion(apiPod);
    }
    if (isTerminal(apiPod.status) || record.terminal !== undefined) {
      if (observed.sandboxes.some((s) => s.state === 'ready')) await killPod(this.ctx, apiPod, observed, { gracePeriodOverride: 0, quiet: true });
      await this.ctx.probers.remove(uid);
      // Our last write may not have reached the informer yet: the finished status still stands.
      if (record.terminal !== undefined) await this.status.setStatus(apiPod, record.terminal);
      return undefined;
    }
    if (deadlineExceeded(this.ctx, apiPod, record.startTime)) return this.failDeadline(apiPod, observed);
    return this.syncRunning(apiPod, observed);
  }

  /** UIDs the worker knows, for the agent's cleanup of pods that vanished while it was down. */
  knownUids(): string[] {
    return [...this.records.keys()];
  }

  private async remove(uid: string, pod: Pod, observed: RuntimePod, kill: KillOptions): Promise<void> {
    await this.ctx.probers.remove(uid);
    await killPod(this.ctx, pod, observed, kill);
    await removePod(this.ctx, pod, await observePod(this.ctx.runtime, uid));
    this.records.delete(uid);
    this.status.forget(uid);
  }

  private async syncRunning(pod: Pod, observed: RuntimePod): Promise<SyncResult> {
    const actions = computePodActions(pod, observed, this.ctx.probes);
    const report = async (found: SyncOutcome) => { await this.status.setStatus(pod, await this.generateStatus(pod, observed, found)); };
    const outcome = await syncPod(this.ctx, pod, observed, actions, report);
    const after = await observePod(this.ctx.runtime, observed.uid);
    await pruneContainers(this.ctx, after);
    const status = await this.generateStatus(pod, after, outcome);
    if (isTerminal(status)) return this.finish(pod, after, outcome);
    this.ctx.probers.update(pod, status);
    await this.status.setStatus(pod, status);
    const requeue = Math.min(outcome.requeueAfterMs ?? Infinity, deadlineRemaining(this.ctx, pod, this.remember(observed.uid, pod).startTime) ?? Infinity);
    return requeue === Infinity ? undefined : { requeueAfterMs: requeue };
  }

  /**
   * The kubelet's active deadline handler: the event, phase Failed at once (kubectl shows
   * DeadlineExceeded while the containers stop), then every container stopped within the grace period.
   */
  private async failDeadline(pod: Pod, observed: RuntimePod): Promise<SyncResult> {
    const failure = { reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
    await this.ctx.recorder.event(pod, 'Normal', failure.reason, failure.message);
    await this.status.setStatus(pod, await this.generateStatus(pod, observed, { waiting: new Map() }, failure));
    await killPod(this.ctx, pod, observed);
    const after = await observePod(this.ctx.runtime, observed.uid);
    return this.finish(pod, after, { waiting: new Map() }, failure);
  }

  /** Nothing will run in this pod again: its infra, network and probers go now, as the kubelet's do. */
  private async finish(pod: Pod, observed: RuntimePod, outcome: SyncOutcome, failure?: PodFailure): Promise<SyncResult> {
    await killPod(this.ctx, pod, observed, { gracePeriodOverride: 0, quiet: true });
    await this.ctx.probers.remove(observed.uid);
    const status = await this.generateStatus(pod, await observePod(this.ctx.runtime, observed.uid), outcome, failure);
    this.remember(observed.uid, pod).terminal = status;
    await this.status.setStatus(pod, status);
    return undefined;
  }

  private async generateStatus(pod: Pod, observed: RuntimePod, outcome: SyncOutcome, failure?: PodFailure): Promise<PodStatus> {
    const record = this.remember(observed.uid, pod);
    const sandbox = observed.sandboxes[0];
    const live = pod.spec?.hostNetwork === true ? [this.ctx.node().hostIP]
      : sandbox === undefined ? [] : await this.ctx.network.podIPs(sandbox.id) ?? [];
    // A stopped sandbox has no network left: a finished pod keeps the IPs it had, as the kubelet's status does.
    const podIPs = live.length > 0 ? live : outcome.podIPs ?? pod.status?.podIPs?.map((p) => p.ip ?? '') ?? [];
    return generatePodStatus(pod, {
      sandboxReady: sandbox?.state === 'ready', podIPs, hostIP: this.ctx.node().hostIP,
      containers: observed.containers, waiting: outcome.waiting, startTime: record.startTime,
      probes: this.ctx.probes, messages: await terminationMessages(this.ctx, observed), failure,
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

/** A pod the API no longer has and the agent never saw (it was down): named from runtime labels. */
function podFromLabels(observed: RuntimePod): Pod {
  const source = observed.sandboxes[0]?.labels ?? observed.containers[0]?.labels ?? {};
  return { metadata: { uid: observed.uid, name: source[podNameLabel] ?? '', namespace: source[podNamespaceLabel] ?? '' } };
}
