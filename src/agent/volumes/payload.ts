// The files of a configMap or secret volume (or projection): every key, or the listed items
// (key → path, with their own mode). A missing object or key fails the volume with the kubelet's
// message unless the source is optional, which yields what exists (possibly nothing).
import type { ConfigMap, KeyToPath, Secret } from 'kubernetes-types/core/v1.d.ts';
import type { Payload } from './atomic_writer.ts';
import { ContainerConfigError } from './errors.ts';

export interface VolumeSources {
  /** undefined = not found; any other failure throws. */
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
}

/** What configMap and secret sources (volume or projection) have in common. */
export interface KeySource {
  name?: string;
  items?: KeyToPath[];
  optional?: boolean;
}

export const defaultFileMode = 0o644;

export async function configMapPayload(sources: VolumeSources, namespace: string, source: KeySource, defaultMode: number, volume: string): Promise<Payload> {
  const name = source.name ?? '';
  const configMap = await sources.getConfigMap(namespace, name);
  if (configMap === undefined && source.optional !== true) throw new ContainerConfigError(`configmap "${name}" not found`, { volume });
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(configMap?.data ?? {})) data.set(key, Buffer.from(value, 'utf8'));
  for (const [key, value] of Object.entries(configMap?.binaryData ?? {})) data.set(key, Buffer.from(value, 'base64'));
  return makePayload(data, source, defaultMode, (key) => new ContainerConfigError(`configmap references non-existent config key: ${key}`, { volume }));
}

export async function secretPayload(sources: VolumeSources, namespace: string, source: KeySource, defaultMode: number, volume: string): Promise<Payload> {
  const name = source.name ?? '';
  const secret = await sources.getSecret(namespace, name);
  if (secret === undefined && source.optional !== true) throw new ContainerConfigError(`secret "${name}" not found`, { volume });
  const data = new Map<string, Buffer>();
  for (const [key, value] of Object.entries(secret?.data ?? {})) data.set(key, Buffer.from(value, 'base64'));
  return makePayload(data, source, defaultMode, (key) => new ContainerConfigError(`references non-existent secret key: ${key}`, { volume }));
}

function makePayload(data: Map<string, Buffer>, source: KeySource, defaultMode: number, missingKey: (key: string) => Error): Payload {
  const payload: Payload = new Map();
  if (source.items === undefined || source.items.length === 0) {
    for (const [key, content] of data) payload.set(key, { data: content, mode: defaultMode });
    return payload;
  }
  for (const item of source.items) {
    const content = data.get(item.key);
    if (content === undefined) {
      if (source.optional === true) continue;
      throw missingKey(item.key);
    }
    payload.set(item.path, { data: content, mode: item.mode ?? defaultMode });
  }
  return payload;
}
