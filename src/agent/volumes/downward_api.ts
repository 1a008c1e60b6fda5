// downwardAPI files: the pod's own metadata (fieldRef) and a container's resources
// (resourceFieldRef), as the kubelet's downwardapi.CollectData renders them. The values come from
// kuberuntime's downward API, the same functions env vars use; unlike env, a volume reads only
// metadata fields, and a limit a container (init containers too) does not set is the node's allocatable.
import type { DownwardAPIVolumeFile, Pod } from 'kubernetes-types/core/v1.d.ts';
import { extractFieldPathAsString, resourceValueByContainerName, type DownwardContext as RuntimeDownwardContext } from '../kuberuntime/downward_api.ts';
import type { Payload } from './atomic_writer.ts';
import { throwAggregate } from './errors.ts';

/** What the downward API needs beyond the pod object. */
export interface DownwardContext {
  nodeName: string;
  hostIP: string;
  podIP: string;
  podIPs: string[];
  nodeAllocatable: RuntimeDownwardContext['nodeAllocatable'];
}

export function downwardAPIPayload(items: DownwardAPIVolumeFile[], pod: Pod, allocatable: DownwardContext['nodeAllocatable'], defaultMode: number, volume: string): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items) {
    let value = '';
    try {
      if (item.fieldRef !== undefined) value = extractFieldPathAsString(pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef !== undefined) value = resourceValueByContainerName(item.resourceFieldRef, pod, allocatable);
    } catch (err) {
      errors.push((err as Error).message);
    }
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  // Every item is tried; the errors come back together.
  throwAggregate(errors, volume);
  return payload;
}
