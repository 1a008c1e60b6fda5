// Init containers in the plan (the kubelet's computeInitContainerActions, sidecars included).
// Walking the spec from the last init container back, the newest one the runtime has decides:
//
//   regular init container  running ─▶ wait     exited 0 ─▶ start the next one (or initialized)
//                           exited ≠ 0 ─▶ retry it, or under restartPolicy Never kill the pod
//   sidecar (restartPolicy Always)  exited ─▶ restart it
//                           running and started (startup probe) ─▶ start the next one;
//                           failed startup/liveness ─▶ kill and restart it
//   created, never started ─▶ start it again
// Once the pod was initialized (a regular container was created), only sidecars are kept running.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ProbeResults } from '../prober/results.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { isSidecar } from '../kuberuntime/labels.ts';
import { killForProbes, restartsOnFailure, type PodActions } from './plan.ts';

/** Adds the init containers to start (and sidecars to kill) to `actions`; true once the pod is initialized. */
export function computeInitContainerActions(pod: Pod, latest: Map<string, ContainerStatus>, probes: ProbeResults, actions: PodActions): boolean {
  const init = pod.spec?.initContainers ?? [];
  if (init.length === 0) return true;
  let initialized = (pod.spec?.containers ?? []).some((c) => ['created', 'running'].includes(latest.get(c.name)?.state ?? ''));
  let previouslyInitialized = initialized;
  const toStart: number[] = [];
  for (let i = init.length - 1; i >= 0; i--) {
    const container = init[i]!;
    const status = latest.get(container.name);
    if (status === undefined) {
      // Gone from the runtime after the pod was initialized: only a sidecar comes back.
      if (previouslyInitialized && isSidecar(container)) toStart.push(i);
      continue;
    }
    if (previouslyInitialized && !isSidecar(container)) continue;
    const step = initStep(pod, container, status, probes, actions);
    if (step === 'killPod') {
      actions.killPod = true;
      actions.initContainersToStart = [];
      return false;
    }
    if (step === 'restart') toStart.push(i);
    if (step === 'done') {
      if (i === init.length - 1) initialized = true;
      else if (!previouslyInitialized) toStart.push(i + 1);
    }
    previouslyInitialized = true;
  }
  if (!previouslyInitialized) toStart.push(0);
  actions.initContainersToStart = toStart.reverse().map((i) => init[i]!);
  return initialized;
}

type InitStep = 'wait' | 'restart' | 'done' | 'killPod';

function initStep(pod: Pod, container: Container, status: ContainerStatus, probes: ProbeResults, actions: PodActions): InitStep {
  if (status.state === 'created') return 'restart';
  if (status.state === 'exited') {
    if (isSidecar(container)) return 'restart';
    if (status.exitCode === 0) return 'done';
    return restartsOnFailure(pod) ? 'restart' : 'killPod';
  }
  if (!isSidecar(container)) return 'wait';
  const kill = killForProbes(container, status, probes, 'Init container');
  if (kill !== undefined) {
    actions.containersToKill.push(kill);
    return 'restart';
  }
  // A sidecar counts as started once its startup probe succeeded; then the next one may start.
  return container.startupProbe === undefined || probes.get('startup', status.id) === 'Success' ? 'done' : 'wait';
}
