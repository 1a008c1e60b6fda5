// The crash back-off of a container about to be started again (the kubelet's doBackOff): measured
// from the finish of its newest exited attempt, 10 s doubling to 5 min, started over once an
// attempt ran 10 min. While it lasts the container waits in CrashLoopBackOff (with a BackOff event);
// otherwise the start goes ahead and steps the back-off.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { goDuration } from '../duration.ts';
import { formatPod } from '../kuberuntime/errors.ts';
import type { WaitingReason } from '../status/containers.ts';
import type { WorkerContext } from './context.ts';
import type { RuntimePod } from './observe.ts';

export interface BackingOff {
  waiting: WaitingReason;
  remainingMs: number;
}

export function crashBackOff(ctx: WorkerContext, pod: Pod, container: Container, observed: RuntimePod): BackingOff | undefined {
  const exited = observed.containers
    .filter((c) => c.metadata.name === container.name && c.state === 'exited')
    .sort((a, b) => b.metadata.attempt - a.metadata.attempt)[0];
  if (exited === undefined) return undefined;
  const key = `${pod.metadata?.uid}/${container.name}`;
  const finished = (exited.finishedAt ?? exited.createdAt).getTime();
  const remainingMs = ctx.backoff.remaining(key, finished);
  if (remainingMs === 0) {
    ctx.backoff.next(key, finished);
    return undefined;
  }
  void ctx.recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${formatPod(pod)}`);
  const message = `back-off ${goDuration(ctx.backoff.delay(key))} restarting failed container=${container.name} pod=${formatPod(pod)}`;
  return { waiting: { reason: 'CrashLoopBackOff', message }, remainingMs };
}
