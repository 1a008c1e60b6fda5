// The shape of a pod's plan (actions.ts computes it, syncpod.ts carries it out) and the rules
// the regular and init container parts of the plan share.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ProbeResults } from '../prober/results.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';

/** Why the worker kills a running container; the kubelet's containerKillReason. */
export type KillReason = 'LivenessProbe' | 'StartupProbe' | 'FailedPostStartHook';

export interface ContainerToKill {
  containerId: string;
  container: Container;
  /** The Killing event's message. */
  message: string;
  /** Absent for a kill the grace period rules do not single out (a changed definition). */
  reason?: KillReason;
}

export interface PodActions {
  /** Stop every container and the sandbox. */
  killPod: boolean;
  createSandbox: boolean;
  /** The attempt number of the sandbox to create. */
  sandboxAttempt: number;
  /** In the spec's order: the next regular init container and the sidecars to (re)start. */
  initContainersToStart: Container[];
  containersToStart: Container[];
  containersToKill: ContainerToKill[];
}

/** A running container that failed its liveness or startup probe, to be killed. */
export function killForProbes(container: Container, status: ContainerStatus, probes: ProbeResults, kind: 'Container' | 'Init container'): ContainerToKill | undefined {
  const failed = (['liveness', 'startup'] as const).find((probe) => probes.get(probe, status.id) === 'Failure');
  if (failed === undefined) return undefined;
  return {
    containerId: status.id, container,
    message: `${kind} ${container.name} failed ${failed} probe`,
    reason: failed === 'liveness' ? 'LivenessProbe' : 'StartupProbe',
  };
}

/** Any policy but Never restarts a failed container. */
export function restartsOnFailure(pod: Pod): boolean {
  return pod.spec?.restartPolicy !== 'Never';
}
