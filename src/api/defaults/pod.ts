// Defaults of a new Pod: SetDefaults_Pod + SetDefaults_PodSpec, then what the default admission
// chain adds on create (ServiceAccount, Priority, DefaultTolerationSeconds) and the initial status.
import type { Pod, Toleration } from 'kubernetes-types/core/v1.d.ts';
import type { Writable } from '../registry/object.ts';
import { defaultPodSpec } from './podspec.ts';
import { podQOSClass } from './qos.ts';

export const defaultTolerationSeconds = 300;
const notReadyTaint = 'node.kubernetes.io/not-ready';
const unreachableTaint = 'node.kubernetes.io/unreachable';

/** Requests default to limits for what is limited but not requested (pods only, not templates). */
function defaultRequestsFromLimits(pod: Pod): void {
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits || !c.resources) continue;
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(limits)) if (!(k in c.resources.requests)) c.resources.requests[k] = v;
  }
}

/** DefaultTolerationSeconds admission: tolerate not-ready and unreachable nodes for 5 minutes. */
export function addDefaultTolerations(pod: Pod): void {
  const spec = pod.spec!;
  const tolerates = (key: string): boolean =>
    (spec.tolerations ?? []).some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const add: Toleration[] = [];
  for (const key of [notReadyTaint, unreachableTaint]) {
    if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds });
  }
  if (add.length) spec.tolerations = [...(spec.tolerations ?? []), ...add];
}

export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  const spec = pod.spec;
  defaultPodSpec(spec);
  defaultRequestsFromLimits(pod);
  spec.enableServiceLinks ??= true;
  // ServiceAccount admission; the deprecated serviceAccount field mirrors the name in v1.
  spec.serviceAccountName ||= spec.serviceAccount || 'default';
  spec.serviceAccount = spec.serviceAccountName;
  // Priority admission with no PriorityClass objects: everyone gets priority 0.
  if (!spec.priorityClassName) spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  addDefaultTolerations(pod);
  const status: Writable<NonNullable<Pod['status']>> = { phase: 'Pending', qosClass: podQOSClass(pod) };
  (pod as Writable<Pod>).status = status;
}
