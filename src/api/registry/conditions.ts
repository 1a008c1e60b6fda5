// Status conditions keyed by type: set one, keeping lastTransitionTime when the status is unchanged.
import { isObject, type KubeObject } from './object.ts';

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

export function setCondition(obj: KubeObject, condition: Condition): void {
  const status = isObject(obj.status) ? obj.status : {};
  obj.status = status;
  const list = Array.isArray(status.conditions) ? (status.conditions as Condition[]) : [];
  const index = list.findIndex((c) => c.type === condition.type);
  if (index < 0) {
    list.push(condition);
  } else {
    const old = list[index];
    list[index] = old.status === condition.status ? { ...condition, lastTransitionTime: old.lastTransitionTime } : condition;
  }
  status.conditions = list;
}
