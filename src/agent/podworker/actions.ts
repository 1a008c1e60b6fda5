// What a pod needs now (the kubelet's computePodActions), as a pure function of its spec, what
// the runtime holds and what the probes found. The pod worker carries the plan out (syncpod.ts).
//
//   no ready sandbox ──▶ kill the pod; a new sandbox unless the pod is done (restartPolicy Never
//                        with containers that ran, or nothing left to start); then the first init
//                        container, or else the containers to start
//   otherwise ─────────▶ init containers (init_actions.ts) until initialized, then each container:
//                        not running and restartable by policy ─▶ start
//                        running but failed liveness/startup ──▶ kill (and start, unless Never)
//                        running but its image changed ────────▶ kill and start, whatever the policy
//                        nothing running and nothing to start ──▶ kill the pod (sidecars too)
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { containerHashAnnotation, hashContainer } from '../kuberuntime/labels.ts';
import type { ProbeResults } from '../prober/results.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { computeInitContainerActions } from './init_actions.ts';
import { latestContainers, type RuntimePod } from './observe.ts';
import { killForProbes, restartsOnFailure, type ContainerToKill, type PodActions } from './plan.ts';

export type { ContainerToKill, KillReason, PodActions } from './plan.ts';

export function computePodActions(pod: Pod, observed: RuntimePod, probes: ProbeResults): PodActions {
  const latest = latestContainers(observed);
  const sandbox = sandboxChange(observed);
  const actions: PodActions = {
    killPod: sandbox.changed, createSandbox: sandbox.changed, sandboxAttempt: sandbox.attempt,
    initContainersToStart: [], containersToStart: [], containersToKill: [],
  };
  if (sandbox.changed) return withNewSandbox(pod, observed, latest, actions);
  const initialized = computeInitContainerActions(pod, latest, probes, actions);
  if (actions.killPod || !initialized) return actions;
  let keep = 0;
  for (const container of pod.spec?.containers ?? []) {
    const status = latest.get(container.name);
    if (status === undefined || status.state !== 'running') {
      if (shouldContainerBeRestarted(pod, status)) actions.containersToStart.push(container);
      continue;
    }
    const changed = status.annotations[containerHashAnnotation] !== hashContainer(container);
    const kill = changed ? definitionChanged(container, status) : killForProbes(container, status, probes, 'Container');
    if (kill === undefined) {
      keep++;
      continue;
    }
    if (changed || restartsOnFailure(pod)) {
      kill.message += ', will be restarted';
      actions.containersToStart.push(container);
    }
    actions.containersToKill.push(kill);
  }
  if (keep === 0 && actions.containersToStart.length === 0) {
    // Nothing runs and nothing will: the pod is done, and its sidecars must not keep it alive.
    actions.killPod = true;
    actions.initContainersToStart = [];
  }
  return actions;
}

/** The container's spec changed where the kubelet's hash looks (its image): a new container replaces it. */
function definitionChanged(container: Container, status: ContainerStatus): ContainerToKill {
  return { containerId: status.id, container, message: `Container ${container.name} definition changed` };
}

/** A new sandbox restarts the pod from its first init container; a finished pod gets none. */
function withNewSandbox(pod: Pod, observed: RuntimePod, latest: Map<string, ContainerStatus>, actions: PodActions): PodActions {
  if (!restartsOnFailure(pod) && actions.sandboxAttempt !== 0 && observed.containers.length > 0) {
    actions.createSandbox = false;
    return actions;
  }
  const containers = (pod.spec?.containers ?? []).filter((c) => !(pod.spec?.restartPolicy === 'OnFailure' && succeeded(latest.get(c.name))));
  const init = pod.spec?.initContainers ?? [];
  if (containers.length === 0) {
    actions.createSandbox = false;
  } else if (init.length > 0) {
    actions.initContainersToStart = [init[0]!];
  } else {
    actions.containersToStart = containers;
  }
  return actions;
}

/** The kubelet's PodSandboxChanged: none yet, the newest not ready, or more than one ready. */
function sandboxChange(observed: RuntimePod): { changed: boolean; attempt: number } {
  const newest = observed.sandboxes[0];
  if (newest === undefined) return { changed: true, attempt: 0 };
  const ready = observed.sandboxes.filter((s) => s.state === 'ready').length;
  return { changed: newest.state !== 'ready' || ready > 1, attempt: newest.metadata.attempt + 1 };
}

/** The kubelet's ShouldContainerBeRestarted, for a container that is not running. */
function shouldContainerBeRestarted(pod: Pod, status: ContainerStatus | undefined): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  if (status === undefined || status.state === 'created') return true;
  const policy = pod.spec?.restartPolicy ?? 'Always';
  if (policy === 'Never') return false;
  return policy === 'Always' || status.exitCode !== 0;
}

function succeeded(status: ContainerStatus | undefined): boolean {
  return status?.state === 'exited' && status.exitCode === 0;
}
