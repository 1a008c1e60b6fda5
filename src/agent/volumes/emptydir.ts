// emptyDir: a directory on the node's disk, or a tmpfs for medium Memory. It is also the base
// every projected volume is written into (configMap and downwardAPI on disk; secret and projected
// on tmpfs, so that secrets never touch the disk), as the kubelet wraps them.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { Quantity } from '../../api/quantity.ts';
import { resourceConfigForPod } from '../cgroups/resource_config.ts';
import { mountedFsType, mountTmpfs } from './mount.ts';

export type StorageMedium = 'disk' | 'memory';

/**
 * Makes dir an empty directory with mode 0777 (a tmpfs for memory); idempotent. Returns whether
 * it was made now: ownership is set once, as the kubelet does when it mounts the volume.
 */
export async function setUpEmptyDir(dir: string, medium: StorageMedium, sizeBytes?: number): Promise<boolean> {
  const needsTmpfs = medium === 'memory' && mountedFsType(dir) !== 'tmpfs';
  const made = !existsSync(dir) || needsTmpfs;
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  if (needsTmpfs) await mountTmpfs(dir, sizeBytes);
  // Any user of any container may write an emptyDir; the umask must not decide otherwise.
  if ((statSync(dir).mode & 0o777) !== 0o777) chmodSync(dir, 0o777);
  return made;
}

/**
 * The size of a memory-backed emptyDir, as the kubelet computes it: the node's allocatable
 * memory, lowered to the pod cgroup's memory limit (there when every container has one), lowered
 * to the volume's sizeLimit when it is smaller still.
 */
export function memoryVolumeSize(pod: Pod, nodeAllocatableMemory: string, sizeLimit?: string): number {
  let size = Quantity.parse(nodeAllocatableMemory).value();
  const podLimit = resourceConfigForPod(pod).memoryLimit ?? 0;
  if (podLimit > 0 && podLimit <= size) size = podLimit;
  const volumeLimit = sizeLimit === undefined ? 0 : Quantity.parse(sizeLimit).value();
  if (volumeLimit > 0 && volumeLimit <= size) size = volumeLimit;
  return size;
}
