// The pod status the agent reports (the kubelet's generateAPIPodStatus): phase, conditions,
// container statuses, addresses, startTime and QoS class, from what the runtime shows and what
// the pod worker met on its last sync.
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { podQOSClass } from '../../api/defaults/qos.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { podConditions } from './conditions.ts';
import { containerStatus, type WaitingReason } from './containers.ts';
import { podPhase } from './phase.ts';
import { metaTime } from './time.ts';

export interface ObservedPod {
  sandboxReady: boolean;
  podIPs: string[];
  hostIP: string;
  /** Runtime containers of the pod, any order. */
  containers: ContainerStatus[];
  /** Per container name: why it is not running, from the last sync. */
  waiting: ReadonlyMap<string, WaitingReason>;
  /** When the agent first accepted the pod. */
  startTime: Date;
}

export function generatePodStatus(pod: Pod, observed: ObservedPod, now: Date): PodStatus {
  const previous = pod.status;
  const spec = pod.spec ?? { containers: [] };
  const containerStatuses = spec.containers.map((container) => containerStatus(container, {
    attempts: attemptsOf(observed.containers, container.name),
    waiting: observed.waiting.get(container.name),
  }));
  const phase = podPhase(spec, containerStatuses);
  const status: PodStatus = {
    phase,
    conditions: podConditions({ phase, sandboxReady: observed.sandboxReady, containers: containerStatuses, previous, now: metaTime(now) }),
    hostIP: observed.hostIP,
    hostIPs: [{ ip: observed.hostIP }],
    startTime: previous?.startTime ?? metaTime(observed.startTime),
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
