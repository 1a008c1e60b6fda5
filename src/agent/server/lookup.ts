// The seam between the agent and its HTTPS server: which file holds a container's logs.
//
// The agent passes a ContainerLogLookup to containerLogsRoute. containerLogFile() is the usual
// way to answer it from the Pod the agent runs and its log root, following the kubelet's
// validateContainerLogStatus:
//
//   previous            → lastState.terminated must exist; the attempt before the newest
//                         (the newest itself while the container waits to restart)
//   running/terminated  → the newest attempt
//   waiting, ran before → the newest attempt (the last one that ran)
//   waiting, never ran  → "is waiting to start: REASON"
//
// Attempts are files LOGROOT/<namespace>_<pod>_<uid>/<container>/<restartCount>.log.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ContainerLogFile, ContainerWatch } from '../logs/reader.ts';
import { containerLogErrors, ContainerLogError } from './errors.ts';

export interface ContainerLogRequest {
  namespace: string;
  podName: string;
  containerName: string;
  previous: boolean;
}

/** A file to read (with a running check for follow), or why there is none. Other failures throw. */
export type ContainerLogLookup = (request: ContainerLogRequest) => Promise<ContainerLogFile | ContainerLogError>;

/** The pod's log directory under the log root, as the kubelet names it. */
export function podLogDirectory(logRoot: string, pod: Pod): string {
  const m = pod.metadata ?? {};
  return join(logRoot, `${m.namespace ?? 'default'}_${m.name ?? ''}_${m.uid ?? ''}`);
}

type Attempt = 'newest' | 'beforeNewest';

/** Which attempt's logs a request means, from the pod's status alone. */
export function attemptFor(pod: Pod, containerName: string, previous: boolean): Attempt | ContainerLogError {
  const podName = pod.metadata?.name ?? '';
  const status = findStatus(pod, containerName);
  if (!status) return containerLogErrors.notAvailable(podName, containerName);
  const { waiting, running, terminated } = status.state ?? {};
  const lastTerminated = status.lastState?.terminated;
  if (previous) {
    if (!lastTerminated) return containerLogErrors.previousNotFound(podName, containerName);
    return waiting ? 'newest' : 'beforeNewest';
  }
  if (running || terminated || lastTerminated) return 'newest';
  if (waiting) return containerLogErrors.waiting(podName, containerName, waiting.reason ?? '');
  return containerLogErrors.noLogsYet(podName, containerName);
}

/** The log file for a request about `pod`; the watch is given for follow. */
export async function containerLogFile(logRoot: string, pod: Pod, request: ContainerLogRequest, watch?: ContainerWatch): Promise<ContainerLogFile | ContainerLogError> {
  const allNames = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
  if (!allNames.includes(request.containerName)) return containerLogErrors.containerNotFound(request.podName, request.containerName);
  const attempt = attemptFor(pod, request.containerName, request.previous);
  if (attempt instanceof ContainerLogError) return attempt;
  const dir = join(podLogDirectory(logRoot, pod), request.containerName);
  const numbers = await attemptNumbers(dir);
  const index = attempt === 'newest' ? numbers.length - 1 : numbers.length - 2;
  if (index < 0) return containerLogErrors.logFileMissing(join(dir, `${numbers.at(-1) ?? 0}.log`));
  const path = join(dir, `${numbers[index]}.log`);
  // Only the newest attempt can still be written to.
  return attempt === 'newest' && watch ? { path, ...watch } : { path };
}

function findStatus(pod: Pod, name: string): ContainerStatus | undefined {
  const s = pod.status;
  return [...(s?.containerStatuses ?? []), ...(s?.initContainerStatuses ?? []), ...(s?.ephemeralContainerStatuses ?? [])].find((c) => c.name === name);
}

async function attemptNumbers(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  // N.log.<stamp>[.gz] count too: between a rotation's rename and the runtime's reopen, the
  // attempt's live file is missing for a moment.
  const numbers = new Set(names.map((n) => /^(\d+)\.log(\.\d{8}-\d{6}(\.gz)?)?$/.exec(n)).filter((m) => m !== null).map((m) => Number(m[1])));
  return [...numbers].sort((a, b) => a - b);
}
