// The agent's side of the container log lookup (server/lookup.ts): the pod from the pod config,
// and for a follower whether the container still runs (runtime) and, once it exited, whether it
// will run again — the restart policy, as the pod worker applies it; a pod being deleted is not
// restarted.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { latestContainers, observePod } from './podworker/observe.ts';
import type { Runtime } from './runtime/runtime.ts';
import { containerLogErrors } from './server/errors.ts';
import { containerLogFile, type ContainerLogLookup } from './server/lookup.ts';

export function agentLogLookup(runtime: Runtime, logsDir: string, findPod: (namespace: string, name: string) => Pod | undefined): ContainerLogLookup {
  return async (request) => {
    const pod = findPod(request.namespace, request.podName);
    if (pod === undefined) return containerLogErrors.podNotFound(request.podName);
    const uid = pod.metadata?.uid ?? '';
    const latest = async () => latestContainers(await observePod(runtime, uid)).get(request.containerName);
    const isRunning = async () => (await latest())?.state === 'running';
    const mayRestart = async () => {
      const current = findPod(request.namespace, request.podName);
      if (current?.metadata?.uid !== uid || current.metadata.deletionTimestamp) return false;
      const policy = current.spec?.restartPolicy ?? 'Always';
      const exitCode = (await latest())?.exitCode;
      return policy === 'Always' || (policy === 'OnFailure' && exitCode !== undefined && exitCode !== 0);
    };
    return containerLogFile(logsDir, pod, request, { isRunning, mayRestart });
  };
}
