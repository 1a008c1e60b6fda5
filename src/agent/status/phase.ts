// The pod phase from its container statuses (the kubelet's getPhase): a container waiting after
// a termination counts as stopped, so a crash-looping pod is Running under restartPolicy Always.
import type { ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.d.ts';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export function podPhase(spec: PodSpec, statuses: ContainerStatus[]): PodPhase {
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const status of statuses) {
    if (status.state?.running) running++;
    else if (status.state?.terminated) {
      stopped++;
      if (status.state.terminated.exitCode === 0) succeeded++;
    } else if (status.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped === 0) return 'Pending';
  const policy = spec.restartPolicy ?? 'Always';
  if (policy === 'Always') return 'Running';
  if (stopped === succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}
