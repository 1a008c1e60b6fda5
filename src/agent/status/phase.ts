// The pod phase from its container statuses (the kubelet's getPhase):
//   - an init container that failed under restartPolicy Never fails the pod;
//   - an init container still to run (or running), or a sidecar not started yet, keeps it Pending;
//   - sidecars (init containers with restartPolicy Always) count while they run, never once stopped;
//   - a container waiting after a termination counts as stopped, so a crash-looping pod is Running
//     under restartPolicy Always; all stopped: Succeeded if every one exited 0 and the policy lets
//     it rest, Failed under Never with a failure, else Running (about to restart).
import type { ContainerStatus, PodSpec } from 'kubernetes-types/core/v1.d.ts';
import { isSidecar } from '../kuberuntime/labels.ts';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

interface Counts { running: number; waiting: number; stopped: number; succeeded: number; unknown: number }

export function podPhase(spec: PodSpec, initStatuses: ContainerStatus[], statuses: ContainerStatus[]): PodPhase {
  const init = initProgress(spec, initStatuses);
  const counts: Counts = { running: 0, waiting: 0, stopped: 0, succeeded: 0, unknown: 0 };
  let pendingSidecars = 0;
  for (const sidecar of (spec.initContainers ?? []).filter(isSidecar)) {
    const s = initStatuses.find((c) => c.name === sidecar.name);
    if (s === undefined) counts.unknown++;
    else if (s.state?.running) {
      counts.running++;
      if (s.started !== true) pendingSidecars++;
    } else if (s.state?.waiting && !s.lastState?.terminated) {
      pendingSidecars++;
      counts.waiting++;
    }
  }
  for (const container of spec.containers) countContainer(counts, statuses.find((c) => c.name === container.name));
  if (init.failed > 0 && spec.restartPolicy === 'Never') return 'Failed';
  if (init.pending > 0 || pendingSidecars > 0 || counts.waiting > 0) return 'Pending';
  if (counts.running > 0 && counts.unknown === 0) return 'Running';
  if (counts.running > 0 || counts.stopped === 0 || counts.unknown > 0) return 'Pending';
  const policy = spec.restartPolicy ?? 'Always';
  if (policy === 'Always') return 'Running';
  if (counts.stopped === counts.succeeded) return 'Succeeded';
  return policy === 'Never' ? 'Failed' : 'Running';
}

/** Regular init containers still to finish, and those whose last run failed. */
function initProgress(spec: PodSpec, initStatuses: ContainerStatus[]): { pending: number; failed: number } {
  let pending = 0, failed = 0;
  for (const container of (spec.initContainers ?? []).filter((c) => !isSidecar(c))) {
    const s = initStatuses.find((c) => c.name === container.name);
    const terminated = s?.state?.terminated ?? (s?.state?.waiting ? s.lastState?.terminated : undefined);
    if (terminated === undefined) pending++;
    else if (terminated.exitCode !== 0) failed++;
  }
  return { pending, failed };
}

function countContainer(counts: Counts, s: ContainerStatus | undefined): void {
  if (s === undefined) counts.unknown++;
  else if (s.state?.running) counts.running++;
  else if (s.state?.terminated) {
    counts.stopped++;
    if (s.state.terminated.exitCode === 0) counts.succeeded++;
  } else if (s.state?.waiting && s.lastState?.terminated) counts.stopped++;
  else if (s.state?.waiting) counts.waiting++;
  else counts.unknown++;
}
