// Errors the pod worker shows the user. A ContainerConfigError is the pod's own fault (a missing
// configMap, a bad subPath, a hostPath of the wrong type): retrying only helps once the pod's
// inputs change, so the worker reports it as the waiting reason CreateContainerConfigError.
// It is kuberuntime's ContainerConfigError that also names the volume, so one `instanceof`
// covers both. Any other error from this component (a failed mount, an unreachable API) is the
// node's and is retried as it is.
import { ContainerConfigError as KubeRuntimeConfigError } from '../kuberuntime/errors.ts';

export class ContainerConfigError extends KubeRuntimeConfigError {
  /** The pod volume the error is about, when there is one. */
  readonly volume: string | undefined;

  constructor(message: string, options?: { volume?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.volume = options?.volume;
  }

  /** The kubelet's FailedMount event text for a volume error. */
  get mountEventMessage(): string {
    return this.volume === undefined ? this.message : `MountVolume.SetUp failed for volume "${this.volume}" : ${this.message}`;
  }
}

/**
 * Every failure of a volume's items at once, as utilerrors.NewAggregate prints them: one message
 * as it is, several (each once) as "[a, b]". Returns when there are none.
 */
export function throwAggregate(messages: readonly string[], volume: string): void {
  const unique = [...new Set(messages)];
  if (unique.length === 1) throw new ContainerConfigError(unique[0]!, { volume });
  if (unique.length > 1) throw new ContainerConfigError(`[${unique.join(', ')}]`, { volume });
}
