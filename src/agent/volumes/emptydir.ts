// emptyDir: a directory on the node's disk, or a tmpfs for medium Memory. It is also the base
// every projected volume is written into (configMap and downwardAPI on disk; secret and projected
// on tmpfs, so that secrets never touch the disk), as the kubelet wraps them.
import type { Pod, ResourceRequirements } from 'kubernetes-types/core/v1.d.ts';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { Quantity } from '../../api/quantity.ts';
import { mountedFsType, mountTmpfs } from './mount.ts';

export type StorageMedium = 'disk' | 'memory';

/**
 * Makes dir an empty directory with mode 0777 (a tmpfs for memory); idempotent. Returns whether
 * it was made now: ownership is set once, as the kubelet does when it mounts the volume.
 */
export function setUpEmptyDir(dir: string, medium: StorageMedium, sizeBytes?: number): boolean {
  const made = !existsSync(dir) || (medium === 'memory' && mountedFsType(dir) !== 'tmpfs');
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  if (medium === 'memory' && mountedFsType(dir) !== 'tmpfs') mountTmpfs(dir, sizeBytes);
  // Any user of any container may write an emptyDir; the umask must not decide otherwise.
  if ((statSync(dir).mode & 0o777) !== 0o777) chmodSync(dir, 0o777);
  return made;
}

/**
 * The size of a memory-backed emptyDir, as the kubelet computes it: the node's allocatable
 * memory, lowered to the pod's memory limit when every container has one, lowered to the
 * volume's sizeLimit when it is smaller still.
 */
export function memoryVolumeSize(pod: Pod, nodeAllocatableMemory: string, sizeLimit?: string): number {
  let size = Quantity.parse(nodeAllocatableMemory);
  const podLimit = podMemoryLimit(pod);
  if (podLimit !== undefined && podLimit.sign() > 0 && podLimit.cmp(size) <= 0) size = podLimit;
  const volumeLimit = sizeLimit === undefined ? undefined : Quantity.parse(sizeLimit);
  if (volumeLimit !== undefined && volumeLimit.sign() > 0 && volumeLimit.cmp(size) <= 0) size = volumeLimit;
  return size.value();
}

/**
 * The pod cgroup's memory limit: app containers and sidecars run together (their limits add up),
 * regular init containers one at a time (the largest counts). None when a container has no limit.
 */
function podMemoryLimit(pod: Pod): Quantity | undefined {
  const limitOf = (resources: ResourceRequirements | undefined): Quantity | undefined =>
    resources?.limits?.memory === undefined ? undefined : Quantity.parse(String(resources.limits.memory));
  let running = new Quantity(0n);
  let largestInit = new Quantity(0n);
  for (const container of pod.spec?.initContainers ?? []) {
    const limit = limitOf(container.resources);
    if (limit === undefined) return undefined;
    if (container.restartPolicy === 'Always') running = running.add(limit);
    else if (running.add(limit).cmp(largestInit) > 0) largestInit = running.add(limit);
  }
  for (const container of pod.spec?.containers ?? []) {
    const limit = limitOf(container.resources);
    if (limit === undefined) return undefined;
    running = running.add(limit);
  }
  let total = running.cmp(largestInit) >= 0 ? running : largestInit;
  const overhead = pod.spec?.overhead?.memory;
  if (overhead !== undefined) total = total.add(Quantity.parse(String(overhead)));
  return total;
}
