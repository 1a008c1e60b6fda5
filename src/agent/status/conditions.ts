// Pod conditions the kubelet owns: PodReadyToStartContainers, Initialized, ContainersReady and
// Ready. Others (PodScheduled from the scheduler, readiness gates' own types) are carried over.
// A condition keeps its lastTransitionTime while its status stays the same.
import type { ContainerStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import type { PodPhase } from './phase.ts';

export const kubeletConditions = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady'];

export interface ConditionInputs {
  phase: PodPhase;
  sandboxReady: boolean;
  containers: ContainerStatus[];
  previous: PodStatus | undefined;
  now: string;
}

export function podConditions(inputs: ConditionInputs): PodCondition[] {
  const unready = inputs.containers.filter((c) => !c.ready).map((c) => c.name);
  const completed = inputs.phase === 'Succeeded';
  const containersReady: Omit<PodCondition, 'lastTransitionTime'> = unready.length === 0
    ? { type: 'ContainersReady', status: 'True' }
    : completed
      ? { type: 'ContainersReady', status: 'False', reason: 'PodCompleted' }
      : { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: `containers with unready status: [${unready.join(' ')}]` };
  const own: Omit<PodCondition, 'lastTransitionTime'>[] = [
    { type: 'PodReadyToStartContainers', status: inputs.sandboxReady ? 'True' : 'False' },
    completed ? { type: 'Initialized', status: 'True', reason: 'PodCompleted' } : { type: 'Initialized', status: 'True' },
    { ...containersReady, type: 'Ready' },
    containersReady,
  ];
  const others = (inputs.previous?.conditions ?? []).filter((c) => !kubeletConditions.includes(c.type));
  return [...own.map((c) => withTransition(c, inputs)), ...others];
}

function withTransition(condition: Omit<PodCondition, 'lastTransitionTime'>, inputs: ConditionInputs): PodCondition {
  const before = inputs.previous?.conditions?.find((c) => c.type === condition.type);
  const since = before !== undefined && before.status === condition.status ? before.lastTransitionTime : inputs.now;
  return { ...condition, lastTransitionTime: since };
}
