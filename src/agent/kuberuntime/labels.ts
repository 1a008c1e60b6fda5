// Labels and annotations the kubelet puts on CRI sandboxes and containers (kuberuntime/labels.go).
// They identify the pod and container after a restart of the agent, when only the runtime's
// state is left: the pod worker reads them back instead of keeping its own records.
import type { Container, ContainerPort, LifecycleHandler, Pod } from 'kubernetes-types/core/v1.d.ts';

export const podNameLabel = 'io.kubernetes.pod.name';
export const podNamespaceLabel = 'io.kubernetes.pod.namespace';
export const podUidLabel = 'io.kubernetes.pod.uid';
export const containerNameLabel = 'io.kubernetes.container.name';

export const containerHashAnnotation = 'io.kubernetes.container.hash';
export const restartCountAnnotation = 'io.kubernetes.container.restartCount';
export const terminationMessagePathAnnotation = 'io.kubernetes.container.terminationMessagePath';
export const terminationMessagePolicyAnnotation = 'io.kubernetes.container.terminationMessagePolicy';
export const preStopHandlerAnnotation = 'io.kubernetes.container.preStopHandler';
export const containerPortsAnnotation = 'io.kubernetes.container.ports';
export const containerTypeAnnotation = 'io.kubernetes.container.type';
export const podDeletionGracePeriodAnnotation = 'io.kubernetes.pod.deletionGracePeriod';
export const podTerminationGracePeriodAnnotation = 'io.kubernetes.pod.terminationGracePeriod';

export const defaultTerminationMessagePath = '/dev/termination-log';

export function podLabels(pod: Pod): Record<string, string> {
  return {
    ...pod.metadata?.labels,
    [podNameLabel]: pod.metadata?.name ?? '',
    [podNamespaceLabel]: pod.metadata?.namespace ?? '',
    [podUidLabel]: pod.metadata?.uid ?? '',
  };
}

export function podAnnotations(pod: Pod): Record<string, string> {
  return { ...pod.metadata?.annotations };
}

export function containerLabels(pod: Pod, container: Container): Record<string, string> {
  return {
    [podNameLabel]: pod.metadata?.name ?? '',
    [podNamespaceLabel]: pod.metadata?.namespace ?? '',
    [podUidLabel]: pod.metadata?.uid ?? '',
    [containerNameLabel]: container.name,
  };
}

export function containerAnnotations(pod: Pod, container: Container, restartCount: number): Record<string, string> {
  const annotations: Record<string, string> = {
    [containerHashAnnotation]: hashContainer(container),
    [restartCountAnnotation]: String(restartCount),
    [terminationMessagePathAnnotation]: container.terminationMessagePath || defaultTerminationMessagePath,
    [terminationMessagePolicyAnnotation]: container.terminationMessagePolicy || 'File',
  };
  if (pod.metadata?.deletionGracePeriodSeconds != null) {
    annotations[podDeletionGracePeriodAnnotation] = String(pod.metadata.deletionGracePeriodSeconds);
  }
  if (pod.spec?.terminationGracePeriodSeconds != null) {
    annotations[podTerminationGracePeriodAnnotation] = String(pod.spec.terminationGracePeriodSeconds);
  }
  const preStop = container.lifecycle?.preStop;
  if (preStop !== undefined) annotations[preStopHandlerAnnotation] = JSON.stringify(goOrderedHandler(preStop));
  if ((container.ports ?? []).length > 0) {
    annotations[containerPortsAnnotation] = JSON.stringify(container.ports!.map(goOrderedPort));
  }
  const type = containerType(pod, container.name);
  if (type !== undefined) annotations[containerTypeAnnotation] = type;
  return annotations;
}

export function containerType(pod: Pod, name: string): 'init' | 'container' | 'ephemeral' | undefined {
  if (pod.spec?.initContainers?.some((c) => c.name === name)) return 'init';
  if (pod.spec?.containers?.some((c) => c.name === name)) return 'container';
  if (pod.spec?.ephemeralContainers?.some((c) => c.name === name)) return 'ephemeral';
  return undefined;
}

/** A native sidecar: an init container with restartPolicy Always (podutil.IsRestartableInitContainer). */
export function isSidecar(container: Container): boolean {
  return container.restartPolicy === 'Always';
}

/**
 * Changes when the container must be recreated. Like the kubelet since v1.31 it covers the
 * name and the image only; the kubelet's value is an FNV-32a over a Go spew dump, this one an
 * FNV-32a over JSON, so the two agree in what they detect, not in digits.
 */
export function hashContainer(container: Container): string {
  const text = JSON.stringify({ image: container.image ?? '', name: container.name });
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16);
}

// encoding/json writes struct fields in declaration order; readers of these annotations
// (and their digests) see the same text as from the kubelet.
function goOrderedPort(p: ContainerPort): ContainerPort {
  return pick(p, ['name', 'hostPort', 'containerPort', 'protocol', 'hostIP']);
}

function goOrderedHandler(h: LifecycleHandler): LifecycleHandler {
  const out: LifecycleHandler = {};
  if (h.exec) out.exec = pick(h.exec, ['command']);
  if (h.httpGet) {
    out.httpGet = pick(h.httpGet, ['path', 'port', 'host', 'scheme', 'httpHeaders']);
    if (h.httpGet.httpHeaders) out.httpGet.httpHeaders = h.httpGet.httpHeaders.map((x) => pick(x, ['name', 'value']));
  }
  if (h.tcpSocket) out.tcpSocket = pick(h.tcpSocket, ['port', 'host']);
  if (h.sleep) out.sleep = pick(h.sleep, ['seconds']);
  return out;
}

function pick<T extends object>(obj: T, keys: (keyof T)[]): T {
  const out = {} as T;
  for (const k of keys) if (obj[k] !== undefined) out[k] = obj[k];
  return out;
}
