// The pod's activeDeadlineSeconds (the kubelet's active deadline handler), counted from the
// status's startTime (or when this agent first took the pod, before that was written).
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { WorkerContext } from './context.ts';

/** Milliseconds until the deadline (0 once past); undefined without one. */
export function deadlineRemaining(ctx: WorkerContext, pod: Pod, accepted: Date): number | undefined {
  const seconds = pod.spec?.activeDeadlineSeconds;
  if (seconds == null) return undefined;
  const start = pod.status?.startTime ? Date.parse(pod.status.startTime) : accepted.getTime();
  return Math.max(0, start + seconds * 1000 - ctx.now().getTime());
}

export function deadlineExceeded(ctx: WorkerContext, pod: Pod, accepted: Date): boolean {
  return deadlineRemaining(ctx, pod, accepted) === 0;
}
