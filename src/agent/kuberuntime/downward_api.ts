// Values of the downward API, as the kubelet resolves them for env (valueFrom.fieldRef /
// resourceFieldRef: podFieldSelectorRuntimeValue, resource.ExtractContainerResourceValue) and for
// downwardAPI volume files (fieldpath.ExtractFieldPathAsString, resource.
// ExtractResourceValueByContainerNameAndNodeAllocatable). Errors carry the kubelet's messages.
import type { Container, ObjectFieldSelector, Pod, ResourceFieldSelector } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../../api/quantity.ts';
import { isQualifiedName } from '../../api/validation/names.ts';
import { ContainerConfigError, goQuote } from './errors.ts';

/** What the node knows about the pod and itself at container creation. */
export interface DownwardContext {
  podIP: string;
  podIPs: string[];
  hostIP: string;
  hostIPs: string[];
  /** Limits of containers that set none default to these (the kubelet's node allocatable). */
  nodeAllocatable: { cpu: string; memory: string; 'ephemeral-storage'?: string };
}

const podFieldPaths = new Set([
  'metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid',
  'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'spec.schedulerName',
  'status.phase', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
]);

export function fieldRefValue(ref: ObjectFieldSelector, pod: Pod, context: DownwardContext): string {
  const path = internalFieldPath(ref);
  const podIPs = context.podIPs;
  switch (path) {
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? '';
    case 'status.hostIP':
      return context.hostIPs[0] ?? context.hostIP;
    case 'status.hostIPs':
      return (context.hostIPs.length > 0 ? context.hostIPs : [context.hostIP]).join(',');
    case 'status.podIP':
      return podIPs[0] ?? context.podIP;
    case 'status.podIPs':
      return podIPs.join(',');
  }
  return extractFieldPathAsString(pod, path);
}

// ConvertDownwardAPIFieldLabel: which paths a v1 pod supports, and spec.host's old name.
function internalFieldPath(ref: ObjectFieldSelector): string {
  const version = ref.apiVersion || 'v1';
  if (version !== 'v1') throw new ContainerConfigError(`unsupported pod version: ${version}`);
  const label = ref.fieldPath;
  const sub = splitSubscript(label);
  if (sub !== undefined) {
    if (sub.path === 'metadata.annotations' || sub.path === 'metadata.labels') return label;
    throw new ContainerConfigError(`field label does not support subscript: ${label}`);
  }
  if (podFieldPaths.has(label)) return label;
  if (label === 'spec.host') return 'spec.nodeName';
  throw new ContainerConfigError(`field label not supported: ${label}`);
}

/**
 * fieldpath.ExtractFieldPathAsString: the pod's own metadata. Env vars reach it after the checks
 * above; downwardAPI volumes call it directly, so only metadata fields are theirs.
 */
export function extractFieldPathAsString(pod: Pod, fieldPath: string): string {
  const meta = pod.metadata ?? {};
  const sub = splitSubscript(fieldPath);
  if (sub !== undefined) {
    if (sub.path !== 'metadata.annotations' && sub.path !== 'metadata.labels') {
      throw new ContainerConfigError(`fieldPath ${goQuote(fieldPath)} does not support subscript`);
    }
    // Annotation keys are checked case-insensitively, label keys as written.
    const key = sub.path === 'metadata.annotations' ? sub.subscript.toLowerCase() : sub.subscript;
    const errs = isQualifiedName(key);
    if (errs.length > 0) throw new ContainerConfigError(`invalid key subscript in ${fieldPath}: ${errs.join(';')}`);
    const map = sub.path === 'metadata.annotations' ? meta.annotations : meta.labels;
    return map?.[sub.subscript] ?? '';
  }
  switch (fieldPath) {
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? '';
    case 'metadata.uid':
      return meta.uid ?? '';
  }
  throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
}

// fieldpath.SplitMaybeSubscriptedPath: "path['subscript']", split at the first "['".
function splitSubscript(fieldPath: string): { path: string; subscript: string } | undefined {
  if (!fieldPath.endsWith("']")) return undefined;
  const trimmed = fieldPath.slice(0, -2);
  const at = trimmed.indexOf("['");
  if (at <= 0) return undefined;
  return { path: trimmed.slice(0, at), subscript: trimmed.slice(at + 2) };
}

/** fieldpath.FormatMap: key="value" lines in key order, values quoted as Go's %q. */
export function formatMap(map: Record<string, string> | undefined): string {
  return Object.keys(map ?? {}).sort().map((k) => `${k}=${goQuote(map![k]!)}`).join('\n');
}

export function resourceFieldRefValue(ref: ResourceFieldSelector, pod: Pod, container: Container, context: DownwardContext): string {
  if (!ref.containerName) return containerResourceValue(ref, container, context.nodeAllocatable);
  // Named containers are looked up in the pod, where only app containers got the node's
  // allocatable as their missing limits (defaultPodLimitsForDownwardAPI).
  const named = findContainer(pod, ref.containerName);
  return containerResourceValue(ref, named.container, named.init ? {} : context.nodeAllocatable);
}

/**
 * resource.ExtractResourceValueByContainerNameAndNodeAllocatable, what downwardAPI volumes use:
 * the missing limits of any container, init containers included, are the node's allocatable.
 */
export function resourceValueByContainerName(ref: ResourceFieldSelector, pod: Pod, nodeAllocatable: DownwardContext['nodeAllocatable']): string {
  return containerResourceValue(ref, findContainer(pod, ref.containerName ?? '').container, nodeAllocatable);
}

function findContainer(pod: Pod, name: string): { container: Container; init: boolean } {
  const app = pod.spec?.containers?.find((c) => c.name === name);
  if (app !== undefined) return { container: app, init: false };
  const init = pod.spec?.initContainers?.find((c) => c.name === name);
  if (init !== undefined) return { container: init, init: true };
  throw new ContainerConfigError(`container ${name} not found`);
}

function containerResourceValue(ref: ResourceFieldSelector, container: Container, allocatable: Record<string, string | undefined>): string {
  const divisor = Quantity.tryParse(ref.divisor ?? '0');
  const by = divisor === undefined || divisor.isZero() ? Quantity.parse('1') : divisor;
  const [kind, name] = splitResource(ref.resource);
  if (kind === undefined) throw new ContainerConfigError(`unsupported container resource : ${ref.resource}`);
  const list = kind === 'limits' ? container.resources?.limits : container.resources?.requests;
  let quantity = Quantity.tryParse(list?.[name]) ?? new Quantity(0n);
  if (kind === 'limits' && quantity.isZero() && allocatable[name] !== undefined) {
    quantity = Quantity.parse(allocatable[name]!);
  }
  // The kubelet divides float64s and rounds up: 250m of cpu is "1", 64Mi in Mi is "64".
  const value = name === 'cpu' ? Math.ceil(quantity.milliValue() / by.milliValue()) : Math.ceil(quantity.value() / by.value());
  return String(value);
}

function splitResource(resource: string): ['limits' | 'requests' | undefined, string] {
  const match = /^(limits|requests)\.(cpu|memory|ephemeral-storage|hugepages-.+)$/.exec(resource);
  if (match === null) return [undefined, ''];
  return [match[1] as 'limits' | 'requests', match[2]!];
}
