// A container's cgroup values (the kubelet's generateLinuxContainerResources with CFS quota on and
// swap off): cpu.shares from the cpu request (the limit when no request is given, 2 when neither),
// a CFS quota from the cpu limit over a 100 ms period, the memory limit, and swap equal to it so
// that the container cannot swap beyond its limit.
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../../api/quantity.ts';
import { milliCPUToQuota, milliCPUToShares, QUOTA_PERIOD } from '../cgroups/cpu.ts';
import type { LinuxContainerResources } from '../runtime/runtime.ts';

export function linuxContainerResources(container: Container): LinuxContainerResources {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  const cpuLimit = Quantity.milliOrZero(limits.cpu);
  const cpuShares = requests.cpu === undefined && cpuLimit > 0 ? milliCPUToShares(cpuLimit) : milliCPUToShares(Quantity.milliOrZero(requests.cpu));
  const resources: LinuxContainerResources = { cpuShares, cpuPeriod: QUOTA_PERIOD };
  const cpuQuota = milliCPUToQuota(cpuLimit);
  if (cpuQuota > 0) resources.cpuQuota = cpuQuota;
  const memoryLimit = Quantity.valueOrZero(limits.memory);
  if (memoryLimit > 0) Object.assign(resources, { memoryLimitInBytes: memoryLimit, memorySwapLimitInBytes: memoryLimit });
  return resources;
}
