// The QoS tiers under the node's cgroup root (the kubelet's qosContainerManager with
// --cgroups-per-qos): Guaranteed pods sit in kubepods itself, Burstable and BestEffort pods in a
// tier each, so that under contention BestEffort pods get the least CPU.
//
//   ROOT/kubepods              cpu.shares from allocatable cpu, memory limit = allocatable memory
//   ROOT/kubepods/burstable    cpu.shares = the sum of the active Burstable pods' cpu requests
//   ROOT/kubepods/besteffort   cpu.shares = 2
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { recordedQOSClass, type QOSClass } from '../../api/defaults/qos.ts';
import { milliValueOf, podRequests } from '../../api/podresources.ts';
import { applyCgroup } from './cgroupfs.ts';
import { MIN_SHARES, milliCPUToShares } from './cpu.ts';

/** What pods may use of the node (Node Allocatable, enforced on kubepods). */
export interface NodeAllocatable {
  milliCPU: number;
  memoryBytes: number;
}

export class QOSContainerManager {
  /** ROOT/kubepods. */
  readonly root: string;
  private readonly activePods: () => Pod[];

  /** `cgroupRoot` is the agent's --cgroup-parent; `activePods` the node's pods still running. */
  constructor(cgroupRoot: string, activePods: () => Pod[]) {
    this.root = `${cgroupRoot.replace(/\/+$/, '')}/kubepods`;
    this.activePods = activePods;
  }

  /** Makes (or brings back to these values) kubepods and its tiers. */
  async start(allocatable: NodeAllocatable): Promise<void> {
    await applyCgroup(this.root, { cpuShares: milliCPUToShares(allocatable.milliCPU), memoryLimit: allocatable.memoryBytes });
    await this.update();
  }

  /** The cgroup that holds the pod cgroups of a QoS class. */
  parentOf(qosClass: QOSClass): string {
    return qosClass === 'Guaranteed' ? this.root : `${this.root}/${qosClass.toLowerCase()}`;
  }

  /**
   * The tiers' cpu.shares from the pods active now: before a pod cgroup is made, and after one is
   * removed (`goneUid`: that pod no longer counts, though the API may still show it terminating).
   */
  async update(goneUid?: string): Promise<void> {
    const burstable = this.activePods().filter((pod) => pod.metadata?.uid !== goneUid && recordedQOSClass(pod) === 'Burstable');
    const milliCPU = burstable.reduce((sum, pod) => sum + milliValueOf(podRequests(pod), 'cpu'), 0);
    await applyCgroup(this.parentOf('Burstable'), { cpuShares: milliCPUToShares(milliCPU) });
    await applyCgroup(this.parentOf('BestEffort'), { cpuShares: MIN_SHARES });
  }
}
