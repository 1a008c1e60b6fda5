// The node conditions the kubelet owns (nodestatus setters MemoryPressureCondition,
// DiskPressureCondition, PIDPressureCondition, ReadyCondition), with its reasons, messages and
// events. lastHeartbeatTime moves on every report; lastTransitionTime only when status flips.
// Conditions owned by others (NetworkUnavailable, …) are left as they are.
import type { NodeCondition } from 'kubernetes-types/core/v1.d.ts';

export interface NodeHealth {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  /** Why the node cannot run pods (runtime down, network not ready); empty when ready. */
  notReady: string[];
}

/** Records "Node X status is now: <event>" (the kubelet's recordNodeStatusEvent). */
export type RecordStatusEvent = (event: string) => void;

interface PressureWords {
  type: string;
  whenTrue: { reason: string; message: string; event: string };
  whenFalse: { reason: string; message: string; event: string };
}

const pressures: { key: 'memoryPressure' | 'diskPressure' | 'pidPressure'; words: PressureWords }[] = [
  { key: 'memoryPressure', words: {
    type: 'MemoryPressure',
    whenTrue: { reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available', event: 'NodeHasInsufficientMemory' },
    whenFalse: { reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', event: 'NodeHasSufficientMemory' },
  } },
  { key: 'diskPressure', words: {
    type: 'DiskPressure',
    whenTrue: { reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure', event: 'NodeHasDiskPressure' },
    whenFalse: { reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', event: 'NodeHasNoDiskPressure' },
  } },
  { key: 'pidPressure', words: {
    type: 'PIDPressure',
    whenTrue: { reason: 'KubeletHasInsufficientPID', message: 'kubelet has insufficient PID available', event: 'NodeHasInsufficientPID' },
    whenFalse: { reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', event: 'NodeHasSufficientPID' },
  } },
];

/** The new condition list: the three pressures, then Ready, each updated in place or appended. */
export function setNodeConditions(current: readonly NodeCondition[], health: NodeHealth, now: string, record: RecordStatusEvent): NodeCondition[] {
  const conditions = current.map((c) => ({ ...c }));
  for (const { key, words } of pressures) setPressure(conditions, words, health[key], now, record);
  setReady(conditions, health.notReady, now, record);
  return conditions;
}

function setPressure(conditions: NodeCondition[], words: PressureWords, pressure: boolean, now: string, record: RecordStatusEvent): void {
  let condition = conditions.find((c) => c.type === words.type);
  if (!condition) {
    // A new condition starts Unknown, so either branch below counts as a transition.
    condition = { type: words.type, status: 'Unknown' };
    conditions.push(condition);
  }
  condition.lastHeartbeatTime = now;
  const wanted = pressure ? 'True' : 'False';
  if (condition.status === wanted) return;
  const { reason, message, event } = pressure ? words.whenTrue : words.whenFalse;
  Object.assign(condition, { status: wanted, reason, message, lastTransitionTime: now });
  record(event);
}

function setReady(conditions: NodeCondition[], notReady: string[], now: string, record: RecordStatusEvent): void {
  const ready: NodeCondition = notReady.length === 0
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: now }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: aggregate(notReady), lastHeartbeatTime: now };
  const i = conditions.findIndex((c) => c.type === 'Ready');
  const old = i >= 0 ? conditions[i] : undefined;
  ready.lastTransitionTime = old?.status === ready.status ? old.lastTransitionTime : now;
  if (old) conditions[i] = ready;
  else conditions.push(ready);
  // The kubelet records only flips; a first Ready=True is recorded too, since this agent's node
  // is ready from its first report and would otherwise never show NodeReady.
  if (old?.status !== ready.status && (old || ready.status === 'True')) {
    record(ready.status === 'True' ? 'NodeReady' : 'NodeNotReady');
  }
}

/** utilerrors.NewAggregate(errs).Error(): one message alone, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0]! : `[${messages.join(', ')}]`;
}
