// Container statuses as the kubelet reports them (convertToAPIContainerStatuses and the prober
// manager's UpdatePodStatus): the newest runtime container of each spec container gives state,
// the one before it lastState; a container with nothing running shows the reason the pod worker
// last met (ErrImagePull, CrashLoopBackOff…). `started` follows the startup probe, `ready` the
// readiness probe once started; an init container that exited 0 is ready.
import type { Container, ContainerState, ContainerStatus as ApiContainerStatus } from 'kubernetes-types/core/v1.d.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { annotations, containerIdPrefix } from '../podworker/labels.ts';
import type { ProbeResults } from '../prober/results.ts';
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
  /** The reason of a container with no attempt yet: ContainerCreating, or PodInitializing in a pod with init containers. */
  defaultReason: string;
  probes: ProbeResults;
  /** Termination messages by runtime container ID. */
  messages: ReadonlyMap<string, string>;
  /** An init container that runs to completion (not a sidecar). */
  runsToCompletion?: boolean;
}

export function containerStatus(container: Container, inputs: ContainerInputs): ApiContainerStatus {
  const [latest, previous] = inputs.attempts;
  const base = { name: container.name, image: container.image ?? '', imageID: '', restartCount: latest?.metadata.attempt ?? 0 };
  if (latest === undefined) {
    return { ...base, ready: false, started: false, state: waitingState(inputs.waiting ?? { reason: inputs.defaultReason }) };
  }
  const ids = { image: latest.annotations[annotations.image] ?? base.image, imageID: latest.annotations[annotations.imageRef] ?? '', containerID: containerIdPrefix + latest.id };
  const running = latest.state === 'running';
  const started = running && (container.startupProbe === undefined || inputs.probes.get('startup', latest.id) === 'Success');
  const state = currentState(latest, inputs);
  const ready = inputs.runsToCompletion === true
    ? state.terminated?.exitCode === 0
    : started && (container.readinessProbe === undefined || inputs.probes.get('readiness', latest.id) === 'Success');
  const status: ApiContainerStatus = { ...base, ...ids, ready, started, state };
  const last = status.state?.terminated === undefined && latest.state === 'exited' ? latest : previous;
  if (last !== undefined && last.state === 'exited') status.lastState = { terminated: terminatedState(last, inputs.messages) };
  return status;
}

function currentState(latest: ContainerStatus, inputs: ContainerInputs): ContainerState {
  if (latest.state === 'running') return { running: { startedAt: metaTime(latest.startedAt ?? latest.createdAt) } };
  if (latest.state === 'created') return waitingState(inputs.waiting ?? { reason: inputs.defaultReason });
  // An exited container the worker is about to restart (or backing off from) shows as waiting.
  return inputs.waiting ? waitingState(inputs.waiting) : { terminated: terminatedState(latest, inputs.messages) };
}

function waitingState(waiting: WaitingReason): ContainerState {
  return { waiting: waiting.message ? { reason: waiting.reason, message: waiting.message } : { reason: waiting.reason } };
}

function terminatedState(c: ContainerStatus, messages: ReadonlyMap<string, string>): NonNullable<ContainerState['terminated']> {
  const message = messages.get(c.id);
  return {
    exitCode: c.exitCode ?? 0,
    reason: c.reason ?? 'Error',
    ...(message ? { message } : {}),
    startedAt: metaTime(c.startedAt ?? c.createdAt),
    finishedAt: metaTime(c.finishedAt ?? c.createdAt),
    containerID: containerIdPrefix + c.id,
  };
}
