// Errors the pod worker shows the user. A ContainerConfigError is the pod's own fault (a missing
// configMap, a bad subPath, a hostPath of the wrong type): retrying only helps once the pod's
// inputs change, so the worker reports it as the waiting reason CreateContainerConfigError.
// Any other error from this component (a failed mount, an unreachable API) is the node's and is
// retried as it is.

export class ContainerConfigError extends Error {
  /** The pod volume the error is about, when there is one. */
  readonly volume: string | undefined;

  constructor(message: string, options?: { volume?: string; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = 'ContainerConfigError';
    this.volume = options?.volume;
  }

  /** The kubelet's FailedMount event text for a volume error. */
  get mountEventMessage(): string {
    return this.volume === undefined ? this.message : `MountVolume.SetUp failed for volume "${this.volume}" : ${this.message}`;
  }
}
