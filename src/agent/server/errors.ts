// Why a container's logs cannot be served, in the kubelet's words (pkg/kubelet/kubelet_pods.go
// validateContainerLogStatus, pkg/kubelet/server/server.go getContainerLogs). The agent's lookup
// returns one of these; the server maps it to a Status at its HTTP boundary, with the code the
// kubelet uses, so kube-apiserver's response checker turns it into the same kubectl error.
import { ApiError } from '../../api/errors.ts';

export type ContainerLogErrorCode =
  | 'PodNotFound'
  | 'ContainerNotFound'
  | 'ContainerNotAvailable'
  | 'PreviousNotFound'
  | 'Waiting'
  | 'NoLogsYet'
  | 'LogFileMissing';

export class ContainerLogError extends Error {
  readonly code: ContainerLogErrorCode;
  /** HTTP status the kubelet answers with. */
  readonly status: 400 | 404;

  constructor(code: ContainerLogErrorCode, status: 400 | 404, message: string) {
    super(message);
    this.name = 'ContainerLogError';
    this.code = code;
    this.status = status;
  }

  toApiError(): ApiError {
    return new ApiError(this.status === 404 ? 'NotFound' : 'BadRequest', this.status, this.message);
  }
}

const q = (s: string) => JSON.stringify(s);

export const containerLogErrors = {
  podNotFound: (pod: string) => new ContainerLogError('PodNotFound', 404, `pod ${q(pod)} does not exist`),
  containerNotFound: (pod: string, container: string) =>
    new ContainerLogError('ContainerNotFound', 404, `container ${q(container)} not found in pod ${q(pod)}`),
  /** The pod has no status for the container yet. */
  notAvailable: (pod: string, container: string) =>
    new ContainerLogError('ContainerNotAvailable', 400, `container ${q(container)} in pod ${q(pod)} is not available`),
  previousNotFound: (pod: string, container: string) =>
    new ContainerLogError('PreviousNotFound', 400, `previous terminated container ${q(container)} in pod ${q(pod)} not found`),
  /** Never started: the waiting reason says why (ContainerCreating, PodInitializing, ErrImagePull, …). */
  waiting: (pod: string, container: string, reason: string) =>
    new ContainerLogError('Waiting', 400, `container ${q(container)} in pod ${q(pod)} is waiting to start: ${waitingText(reason)}`),
  noLogsYet: (pod: string, container: string) =>
    new ContainerLogError('NoLogsYet', 400, `container ${q(container)} in pod ${q(pod)} is waiting to start - no logs yet`),
  logFileMissing: (path: string) =>
    new ContainerLogError('LogFileMissing', 400, `failed to try resolving symlinks in path ${q(path)}: lstat ${path}: no such file or directory`),
};

function waitingText(reason: string): string {
  if (reason === 'ErrImagePull') return "image can't be pulled";
  if (reason === 'ImagePullBackOff') return 'trying and failing to pull image';
  return reason;
}
