// The values a pod or QoS cgroup carries (the kubelet's ResourceConfig) and the pod's own
// (ResourceConfigForPod): what its containers request and limit, summed as the pod runs them.
//
//   QoS class    cpu.shares          cfs quota/period             memory limit          pids
//   Guaranteed   from requests       from limits                  from limits           --pod-max-pids
//   Burstable    from requests       if every container limits    if every container    --pod-max-pids
//   BestEffort   2                   -                            -                     --pod-max-pids
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { recordedQOSClass } from '../../api/defaults/qos.ts';
import { milliValueOf, podLimits, podRequests, valueOf } from '../../api/podresources.ts';
import { MIN_SHARES, milliCPUToQuota, milliCPUToShares, QUOTA_PERIOD } from './cpu.ts';

/** Absent fields are left as the kernel has them. */
export interface ResourceConfig {
  cpuShares?: number;
  /** Microseconds of run time per period. */
  cpuQuota?: number;
  cpuPeriod?: number;
  /** Bytes. */
  memoryLimit?: number;
  pidsLimit?: number;
}

/** `podPidsLimit` is the node's --pod-max-pids: -1 (or 0) leaves the pod's pids unlimited. */
export function resourceConfigForPod(pod: Pod, podPidsLimit = -1): ResourceConfig {
  const requests = podRequests(pod);
  const { limits, declared } = podLimits(pod);
  const cpuShares = milliCPUToShares(milliValueOf(requests, 'cpu'));
  const cpu = { cpuQuota: milliCPUToQuota(milliValueOf(limits, 'cpu')), cpuPeriod: QUOTA_PERIOD };
  const memoryLimit = valueOf(limits, 'memory');
  const pids = podPidsLimit > 0 ? { pidsLimit: podPidsLimit } : {};
  switch (recordedQOSClass(pod)) {
    case 'Guaranteed':
      return { cpuShares, ...cpu, memoryLimit, ...pids };
    case 'Burstable':
      return { cpuShares, ...(declared('cpu') ? cpu : {}), ...(declared('memory') ? { memoryLimit } : {}), ...pids };
    case 'BestEffort':
      return { cpuShares: MIN_SHARES, ...pids };
  }
}
