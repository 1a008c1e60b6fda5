// One plan per pod volume, computed before anything touches the disk: the API reads and every
// check that can fail on the pod's own inputs happen here, so a failing volume leaves nothing
// half-made. The kubelet's plugin names give the directories their names.
import type { Pod, Volume } from 'kubernetes-types/core/v1.d.ts';
import { validatePath, type Payload } from './atomic_writer.ts';
import { downwardAPIPayload, type DownwardContext } from './downward_api.ts';
import { memoryVolumeSize, type StorageMedium } from './emptydir.ts';
import { ContainerConfigError } from './errors.ts';
import { projectedPayload } from './projected.ts';
import { configMapPayload, defaultFileMode, secretPayload, type VolumeSources } from './payload.ts';

export type VolumePlan =
  | { kind: 'emptyDir'; plugin: 'kubernetes.io~empty-dir'; medium: StorageMedium; sizeBytes?: number }
  | { kind: 'hostPath'; path: string; type?: string }
  /** configMap, secret, downwardAPI and projected: files written by the AtomicWriter, read-only by nature. */
  | { kind: 'files'; plugin: string; medium: StorageMedium; sizeBytes?: number; payload: Payload };

export async function planVolume(pod: Pod, volume: Volume, sources: VolumeSources, context: DownwardContext): Promise<VolumePlan> {
  const namespace = pod.metadata?.namespace ?? 'default';
  const name = volume.name;
  // Secrets (also inside projected volumes) live on tmpfs, sized like a memory emptyDir.
  const inMemory = { medium: 'memory' as const, sizeBytes: memoryVolumeSize(pod, context.nodeAllocatable.memory) };
  if (volume.emptyDir !== undefined) {
    if (volume.emptyDir.medium === 'Memory') {
      const sizeLimit = volume.emptyDir.sizeLimit === undefined ? undefined : String(volume.emptyDir.sizeLimit);
      return { kind: 'emptyDir', plugin: 'kubernetes.io~empty-dir', medium: 'memory', sizeBytes: memoryVolumeSize(pod, context.nodeAllocatable.memory, sizeLimit) };
    }
    if (volume.emptyDir.medium !== undefined && volume.emptyDir.medium !== '') {
      throw new ContainerConfigError(`unknown storage medium "${volume.emptyDir.medium}"`, { volume: name });
    }
    return { kind: 'emptyDir', plugin: 'kubernetes.io~empty-dir', medium: 'disk' };
  }
  if (volume.hostPath !== undefined) return { kind: 'hostPath', path: volume.hostPath.path, type: volume.hostPath.type };
  if (volume.configMap !== undefined) {
    const payload = await configMapPayload(sources, namespace, volume.configMap, volume.configMap.defaultMode ?? defaultFileMode, name);
    return files('kubernetes.io~configmap', { medium: 'disk' }, payload, name);
  }
  if (volume.secret !== undefined) {
    const source = { ...volume.secret, name: volume.secret.secretName };
    const payload = await secretPayload(sources, namespace, source, volume.secret.defaultMode ?? defaultFileMode, name);
    return files('kubernetes.io~secret', inMemory, payload, name);
  }
  if (volume.downwardAPI !== undefined) {
    const mode = volume.downwardAPI.defaultMode ?? defaultFileMode;
    const payload = downwardAPIPayload(volume.downwardAPI.items ?? [], pod, context.nodeAllocatable, mode, name);
    return files('kubernetes.io~downward-api', { medium: 'disk' }, payload, name);
  }
  if (volume.projected !== undefined) {
    const payload = await projectedPayload(sources, pod, volume.projected, context, name);
    return files('kubernetes.io~projected', inMemory, payload, name);
  }
  const type = Object.keys(volume).find((key) => key !== 'name') ?? 'none';
  throw new ContainerConfigError(`volume type ${type} is not supported on this node`, { volume: name });
}

/** A files plan whose paths the AtomicWriter will accept (the API validates them too). */
function files(plugin: string, storage: { medium: StorageMedium; sizeBytes?: number }, payload: Payload, volume: string): VolumePlan {
  for (const path of payload.keys()) {
    try {
      validatePath(path);
    } catch (err) {
      throw new ContainerConfigError((err as Error).message, { volume });
    }
  }
  return { kind: 'files', plugin, ...storage, payload };
}
