// projected: configMap, secret and downwardAPI sources merged into one directory. Every source is
// tried and the failures are reported together, as the kubelet aggregates them.
import type { Pod, ProjectedVolumeSource, VolumeProjection } from 'kubernetes-types/core/v1.d.ts';
import type { Payload } from './atomic_writer.ts';
import { downwardAPIPayload, type DownwardContext } from './downward_api.ts';
import { ContainerConfigError, throwAggregate } from './errors.ts';
import { configMapPayload, defaultFileMode, secretPayload, type VolumeSources } from './payload.ts';

export async function projectedPayload(sources: VolumeSources, pod: Pod, source: ProjectedVolumeSource, context: DownwardContext, volume: string): Promise<Payload> {
  const mode = source.defaultMode ?? defaultFileMode;
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const projection of source.sources ?? []) {
    try {
      for (const [path, file] of await projectionPayload(sources, pod, projection, context, mode, volume)) payload.set(path, file);
    } catch (err) {
      if (!(err instanceof ContainerConfigError)) throw err;
      errors.push(err.message);
    }
  }
  throwAggregate(errors, volume);
  return payload;
}

async function projectionPayload(sources: VolumeSources, pod: Pod, projection: VolumeProjection, context: DownwardContext, mode: number, volume: string): Promise<Payload> {
  const namespace = pod.metadata?.namespace ?? 'default';
  if (projection.configMap !== undefined) return configMapPayload(sources, namespace, projection.configMap, mode, volume);
  if (projection.secret !== undefined) return secretPayload(sources, namespace, projection.secret, mode, volume);
  if (projection.downwardAPI !== undefined) return downwardAPIPayload(projection.downwardAPI.items ?? [], pod, context.nodeAllocatable, mode, volume);
  // Tokens need the TokenRequest API and trust bundles their own API group; neither is served.
  if (projection.serviceAccountToken !== undefined) throw new ContainerConfigError('serviceAccountToken projections are not supported on this node', { volume });
  throw new ContainerConfigError('unsupported projected volume source (only configMap, secret and downwardAPI are supported)', { volume });
}
