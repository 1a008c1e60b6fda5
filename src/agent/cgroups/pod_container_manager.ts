// One cgroup per pod (the kubelet's podContainerManager): QOS_PARENT/pod<UID>, made before the
// pod's sandbox with the pod's limits (resource_config.ts), holding the infra process and every
// container, removed once the pod is gone from the node.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { recordedQOSClass, type QOSClass } from '../../api/defaults/qos.ts';
import { applyCgroup, cgroupExists, removeCgroup } from './cgroupfs.ts';
import type { QOSContainerManager } from './qos_container_manager.ts';
import { resourceConfigForPod } from './resource_config.ts';

const QOS_CLASSES: readonly QOSClass[] = ['Guaranteed', 'Burstable', 'BestEffort'];

export class PodContainerManager {
  private readonly qos: QOSContainerManager;
  private readonly podPidsLimit: number;

  /** `podPidsLimit` is --pod-max-pids (-1: unlimited). */
  constructor(qos: QOSContainerManager, podPidsLimit: number) {
    this.qos = qos;
    this.podPidsLimit = podPidsLimit;
  }

  /** The pod's cgroup, e.g. /peapod/kubepods/burstable/pod8f0e…; the pod's QoS class never changes. */
  name(pod: Pod): string {
    return podCgroupIn(this.qos.parentOf(recordedQOSClass(pod)), pod.metadata?.uid ?? '');
  }

  /** Makes the pod's cgroup unless it exists (the tiers are updated first, as the kubelet does); returns its name. */
  async ensureExists(pod: Pod): Promise<string> {
    const name = this.name(pod);
    if (await cgroupExists(name)) return name;
    await this.qos.update();
    await applyCgroup(name, resourceConfigForPod(pod, this.podPidsLimit));
    return name;
  }

  /** Removes the pod's cgroup, found by UID alone (a pod deleted while the agent was down has no spec); its processes must be gone. */
  async destroy(podUid: string): Promise<void> {
    for (const qosClass of QOS_CLASSES) await removeCgroup(podCgroupIn(this.qos.parentOf(qosClass), podUid));
    await this.qos.update(podUid);
  }
}

function podCgroupIn(parent: string, uid: string): string {
  return `${parent}/pod${uid}`;
}
