// Pod conditions the kubelet owns (status/generate.go): PodReadyToStartContainers, Initialized,
// ContainersReady and Ready. Others (PodScheduled from the scheduler, readiness gates' own types)
// are carried over. A condition keeps its lastTransitionTime while its status stays the same.
//
//   Initialized      every regular init container exited 0 and every sidecar started
//                    (or a regular container started already)
//   ContainersReady  every container and sidecar ready
//   Ready            ContainersReady, and every readiness gate's condition True
import type { ContainerStatus, PodCondition, PodSpec, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { isSidecar } from '../kuberuntime/labels.ts';
import type { PodPhase } from './phase.ts';

export const kubeletConditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

type Condition = Omit<PodCondition, 'lastTransitionTime'>;

export interface ConditionInputs {
  spec: PodSpec;
  phase: PodPhase;
  sandboxReady: boolean;
  initContainers: ContainerStatus[];
  containers: ContainerStatus[];
  previous: PodStatus | undefined;
  now: string;
}

export function podConditions(inputs: ConditionInputs): PodCondition[] {
  const containersReady = containersReadyCondition(inputs);
  const own: Condition[] = [
    { type: 'PodReadyToStartContainers', status: inputs.sandboxReady ? 'True' : 'False' },
    initializedCondition(inputs),
    readyCondition(containersReady, inputs),
    containersReady,
  ];
  const others = (inputs.previous?.conditions ?? []).filter((c) => !kubeletConditions.includes(c.type));
  return [...own.map((c) => withTransition(c, inputs)), ...others];
}

function initializedCondition({ spec, phase, initContainers, containers }: ConditionInputs): Condition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const container of spec.initContainers ?? []) {
    const s = initContainers.find((c) => c.name === container.name);
    if (s === undefined) unknown.push(container.name);
    else if (isSidecar(container) ? s.started !== true : s.state?.terminated?.exitCode !== 0) incomplete.push(container.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'Initialized', status: 'True', reason: 'PodCompleted' };
  // A regular container that started means the pod was initialized, whatever its sidecars do now.
  if (containers.some((c) => c.state?.running || c.state?.terminated || c.lastState?.terminated)) return { type: 'Initialized', status: 'True' };
  const message = notReadyMessage(unknown, 'incomplete', incomplete);
  return message === '' ? { type: 'Initialized', status: 'True' } : { type: 'Initialized', status: 'False', reason: 'ContainersNotInitialized', message };
}

function containersReadyCondition({ spec, phase, initContainers, containers }: ConditionInputs): Condition {
  const unknown: string[] = [];
  const unready: string[] = [];
  const check = (name: string, statuses: ContainerStatus[]) => {
    const s = statuses.find((c) => c.name === name);
    if (s === undefined) unknown.push(name);
    else if (!s.ready) unready.push(name);
  };
  for (const sidecar of (spec.initContainers ?? []).filter(isSidecar)) check(sidecar.name, initContainers);
  for (const container of spec.containers) check(container.name, containers);
  if (phase === 'Succeeded' && unknown.length === 0) return { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { type: 'ContainersReady', status: 'False', reason: 'PodFailed' };
  const message = notReadyMessage(unknown, 'unready', unready);
  return message === '' ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message };
}

function readyCondition(containersReady: Condition, { spec, previous }: ConditionInputs): Condition {
  if (containersReady.status !== 'True') return { ...containersReady, type: 'Ready' };
  const gates = (spec.readinessGates ?? []).flatMap(({ conditionType }) => {
    const c = previous?.conditions?.find((x) => x.type === conditionType);
    if (c === undefined) return [`corresponding condition of pod readiness gate "${conditionType}" does not exist.`];
    return c.status === 'True' ? [] : [`the status of pod readiness gate "${conditionType}" is not "True", but ${c.status}`];
  });
  return gates.length === 0 ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady', message: gates.join(', ') };
}

/** "containers with unknown status: [a], containers with unready status: [b c]", as Go prints name lists. */
function notReadyMessage(unknown: string[], what: string, names: string[]): string {
  const parts: string[] = [];
  if (unknown.length > 0) parts.push(`containers with unknown status: [${unknown.join(' ')}]`);
  if (names.length > 0) parts.push(`containers with ${what} status: [${names.join(' ')}]`);
  return parts.join(', ');
}

function withTransition(condition: Condition, inputs: ConditionInputs): PodCondition {
  const before = inputs.previous?.conditions?.find((c) => c.type === condition.type);
  const since = before !== undefined && before.status === condition.status ? before.lastTransitionTime : inputs.now;
  return { ...condition, lastTransitionTime: since };
}
