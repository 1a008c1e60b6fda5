// Typed errors of turning a Pod into runtime configs. Each carries the reason the kubelet
// reports for it (container status waiting reason or event reason); the message is the
// kubelet's own text, which ends up in `kubectl describe pod`.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';

export type KubeRuntimeReason = 'CreateContainerConfigError' | 'CreateContainerError' | 'FailedCreatePodSandBox';

export class KubeRuntimeError extends Error {
  readonly reason: KubeRuntimeReason;
  constructor(reason: KubeRuntimeReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeRuntimeError';
    this.reason = reason;
  }
}

/** The kubelet's ErrCreateContainerConfig: the pod spec (or what it references) cannot become a container config. */
export class ContainerConfigError extends KubeRuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CreateContainerConfigError', message, options);
    this.name = 'ContainerConfigError';
  }
}

/** The runtime would refuse the container (e.g. nothing to run): the kubelet's ErrCreateContainer. */
export class CreateContainerError extends KubeRuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CreateContainerError', message, options);
    this.name = 'CreateContainerError';
  }
}

/** The sandbox config cannot be generated (hostname, DNS): the kubelet's FailedCreatePodSandBox. */
export class PodSandboxConfigError extends KubeRuntimeError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('FailedCreatePodSandBox', message, options);
    this.name = 'PodSandboxConfigError';
  }
}

/** The kubelet's format.Pod: NAME_NAMESPACE(UID). */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

const goEscapes: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };

/** Go's %q (strconv.Quote) for ASCII: the short escapes, other control characters as \xNN. */
export function goQuote(s: string): string {
  const body = s.replace(/[\x00-\x1f\x7f"\\]/g, (c) => goEscapes[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `"${body}"`;
}
