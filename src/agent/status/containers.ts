// Container statuses as the kubelet reports them (convertToAPIContainerStatuses): the newest
// runtime container of each spec container gives state, the one before it lastState; a container
// with nothing running shows the reason the pod worker last met (ErrImagePull, CrashLoopBackOff…).
import type { Container, ContainerState, ContainerStatus as ApiContainerStatus } from 'kubernetes-types/core/v1.d.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { annotations, containerIdPrefix } from '../podworker/labels.ts';
import { metaTime } from './time.ts';

/** Why a container is not running, as the pod worker found it on its last sync. */
export interface WaitingReason {
  reason: string;
  message?: string;
}

export interface ContainerInputs {
  /** Runtime containers of this spec container, newest first. */
  attempts: ContainerStatus[];
  waiting?: WaitingReason;
  /** readiness as the prober sees it; undefined = no readiness probe. */
  ready?: boolean;
}

export function containerStatus(container: Container, inputs: ContainerInputs): ApiContainerStatus {
  const [latest, previous] = inputs.attempts;
  const base = { name: container.name, image: container.image ?? '', imageID: '', restartCount: latest?.metadata.attempt ?? 0 };
  if (latest === undefined) {
    return { ...base, ready: false, started: false, state: waitingState(inputs.waiting ?? { reason: 'ContainerCreating' }) };
  }
  const ids = { image: latest.annotations[annotations.image] ?? base.image, imageID: latest.annotations[annotations.imageRef] ?? '', containerID: containerIdPrefix + latest.id };
  const running = latest.state === 'running';
  const status: ApiContainerStatus = { ...base, ...ids, ready: running && (inputs.ready ?? true), started: running, state: currentState(latest, inputs.waiting) };
  const last = status.state?.terminated === undefined && latest.state === 'exited' ? latest : previous;
  if (last !== undefined && last.state === 'exited') status.lastState = { terminated: terminatedState(last) };
  return status;
}

function currentState(latest: ContainerStatus, waiting: WaitingReason | undefined): ContainerState {
  if (latest.state === 'running') return { running: { startedAt: metaTime(latest.startedAt ?? latest.createdAt) } };
  if (latest.state === 'created') return waitingState(waiting ?? { reason: 'ContainerCreating' });
  // An exited container the worker is about to restart (or backing off from) shows as waiting.
  return waiting ? waitingState(waiting) : { terminated: terminatedState(latest) };
}

function waitingState(waiting: WaitingReason): ContainerState {
  return { waiting: waiting.message ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason } };
}

function terminatedState(c: ContainerStatus): NonNullable<ContainerState['terminated']> {
  return {
    exitCode: c.exitCode ?? 0,
    reason: c.reason ?? 'Error',
    startedAt: metaTime(c.startedAt ?? c.createdAt),
    finishedAt: metaTime(c.finishedAt ?? c.createdAt),
    containerID: containerIdPrefix + c.id,
  };
}
