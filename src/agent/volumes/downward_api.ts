// downwardAPI files: the pod's own metadata (fieldRef) and a container's resources
// (resourceFieldRef), rendered as the kubelet renders them. A limit the container does not set
// is the node's allocatable amount: what the container could use at most.
import type { DownwardAPIVolumeFile, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../../api/quantity.ts';
import type { Payload } from './atomic_writer.ts';
import { ContainerConfigError } from './errors.ts';

/** What the downward API needs beyond the pod object. */
export interface DownwardContext {
  nodeName: string;
  hostIP: string;
  podIP: string;
  podIPs: string[];
  nodeAllocatable: { cpu: string; memory: string; 'ephemeral-storage'?: string };
}

type Allocatable = DownwardContext['nodeAllocatable'];

export function downwardAPIPayload(items: DownwardAPIVolumeFile[], pod: Pod, allocatable: Allocatable, defaultMode: number, volume: string): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items) {
    let value = '';
    try {
      if (item.fieldRef !== undefined) value = podFieldValue(pod, item.fieldRef.fieldPath);
      else if (item.resourceFieldRef !== undefined) value = containerResourceValue(pod, item.resourceFieldRef, allocatable);
    } catch (err) {
      errors.push((err as Error).message);
    }
    payload.set(item.path, { data: Buffer.from(value, 'utf8'), mode: item.mode ?? defaultMode });
  }
  // Every item is tried; the errors come back together, as an aggregate error prints them.
  if (errors.length === 1) throw new ContainerConfigError(errors[0]!, { volume });
  if (errors.length > 1) throw new ContainerConfigError(`[${errors.join(', ')}]`, { volume });
  return payload;
}

/** fieldpath.ExtractFieldPathAsString: the metadata fields a downwardAPI volume may show. */
export function podFieldValue(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const subscripted = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  if (subscripted !== null) {
    const [, path, key] = subscripted as unknown as [string, string, string];
    if (path === 'metadata.annotations') return meta.annotations?.[key] ?? '';
    if (path === 'metadata.labels') return meta.labels?.[key] ?? '';
    throw new Error(`fieldPath "${fieldPath}" does not support subscript`);
  }
  switch (fieldPath) {
    case 'metadata.annotations': return formatMap(meta.annotations ?? {});
    case 'metadata.labels': return formatMap(meta.labels ?? {});
    case 'metadata.name': return meta.name ?? '';
    case 'metadata.namespace': return meta.namespace ?? '';
    case 'metadata.uid': return meta.uid ?? '';
  }
  throw new Error(`unsupported fieldPath: ${fieldPath}`);
}

/** key="value" lines sorted by key, values quoted as Go's %q does, no trailing newline. */
export function formatMap(map: Record<string, string>): string {
  return Object.keys(map).sort().map((key) => `${key}=${goQuote(map[key]!)}`).join('\n');
}

const goEscapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

function goQuote(text: string): string {
  const body = text.replace(/[\x00-\x1f\x7f"\\]/g, (c) => goEscapes[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${body}"`;
}

/** resource.ExtractResourceValueByContainerNameAndNodeAllocatable, rounded up by the divisor. */
export function containerResourceValue(pod: Pod, ref: ResourceFieldSelector, allocatable: Allocatable): string {
  const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  const container = all.find((c) => c.name === ref.containerName);
  if (container === undefined) throw new Error(`container ${ref.containerName ?? ''} not found`);
  const divisor = ref.divisor === undefined || Quantity.parse(String(ref.divisor)).isZero() ? Quantity.parse('1') : Quantity.parse(String(ref.divisor));
  const match = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(ref.resource);
  if (match === null) throw new Error(`unsupported container resource : ${ref.resource}`);
  const [, kind, name] = match as unknown as [string, 'limits' | 'requests', keyof Allocatable];
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  // Requests default to limits (API defaulting); limits default to the node's allocatable.
  const raw = kind === 'limits' ? (limits[name] ?? allocatable[name]) : (requests[name] ?? limits[name]);
  const amount = Quantity.parse(raw === undefined ? '0' : String(raw));
  const ratio = name === 'cpu' ? amount.milliValue() / divisor.milliValue() : amount.value() / divisor.value();
  return String(Math.ceil(ratio));
}
