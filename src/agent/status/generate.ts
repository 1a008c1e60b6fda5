// The pod status the agent reports (the kubelet's generateAPIPodStatus): phase, conditions,
// init container and container statuses, addresses, startTime and QoS class, from what the
// runtime shows, what the probes found and what the pod worker met on its last sync.
// A pod the agent failed itself (active deadline) carries the phase, reason and message it was given.
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { podQOSClass } from '../../api/defaults/qos.ts';
import type { ProbeResults } from '../prober/results.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { podConditions } from './conditions.ts';
import { containerStatus, type WaitingReason } from './containers.ts';
import { isSidecar } from '../kuberuntime/labels.ts';
import { podPhase } from './phase.ts';
import { metaTime } from './time.ts';

/** The reason and message of a pod the agent ended itself (DeadlineExceeded). */
export interface PodFailure {
  reason: string;
  message: string;
}

export interface ObservedPod {
  sandboxReady: boolean;
  podIPs: string[];
  hostIP: string;
  /** Runtime containers of the pod, any order. */
  containers: ContainerStatus[];
  /** Per container name: why it is not running, from the last sync. */
  waiting: ReadonlyMap<string, WaitingReason>;
  probes: ProbeResults;
  /** Termination messages of exited containers, by runtime container ID. */
  messages: ReadonlyMap<string, string>;
  /** When the agent first accepted the pod. */
  startTime: Date;
  /** Set when the agent ended the pod itself. */
  failure?: PodFailure;
}

export function generatePodStatus(pod: Pod, observed: ObservedPod, now: Date): PodStatus {
  const previous = pod.status;
  const spec = pod.spec ?? { containers: [] };
  const defaultReason = (spec.initContainers ?? []).length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const statusOf = (container: Container, runsToCompletion: boolean) => containerStatus(container, {
    attempts: attemptsOf(observed.containers, container.name), waiting: observed.waiting.get(container.name),
    defaultReason, probes: observed.probes, messages: observed.messages, runsToCompletion,
  });
  const initContainerStatuses = (spec.initContainers ?? []).map((c) => statusOf(c, !isSidecar(c)));
  const containerStatuses = spec.containers.map((c) => statusOf(c, false));
  const phase = observed.failure === undefined ? podPhase(spec, initContainerStatuses, containerStatuses) : 'Failed';
  const status: PodStatus = {
    phase,
    conditions: podConditions({
      spec, phase, sandboxReady: observed.sandboxReady, initContainers: initContainerStatuses, containers: containerStatuses, previous, now: metaTime(now),
    }),
    ...observed.failure,
    hostIP: observed.hostIP,
    hostIPs: [{ ip: observed.hostIP }],
    startTime: previous?.startTime ?? metaTime(observed.startTime),
    ...(initContainerStatuses.length > 0 ? { initContainerStatuses } : {}),
    containerStatuses,
    qosClass: podQOSClass(pod),
  };
  if (observed.podIPs.length > 0) {
    status.podIP = observed.podIPs[0];
    status.podIPs = observed.podIPs.map((ip) => ({ ip }));
  }
  return status;
}

function attemptsOf(containers: ContainerStatus[], name: string): ContainerStatus[] {
  return containers
    .filter((c) => c.metadata.name === name)
    .sort((a, b) => b.metadata.attempt - a.metadata.attempt || b.createdAt.getTime() - a.createdAt.getTime());
}
