// Pods: defaults and initial status on create, Kubernetes' pod validation and immutability on
// update, and graceful deletion (the node's agent confirms by deleting with grace 0).
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { addDefaultTolerations, defaultPod } from '../../defaults/pod.ts';
import { defaultPodSpec } from '../../defaults/podspec.ts';
import { validatePod, validatePodStatusUpdate, validatePodUpdate } from '../../validation/pod.ts';
import type { KubeObject } from '../object.ts';
import { defineStrategy } from './define.ts';

const asPod = (obj: KubeObject) => obj as Pod;

export const podStrategy = defineStrategy({
  resource: 'pods',
  returnDeletedObject: true,
  defaults: (obj) => {
    const pod = asPod(obj);
    if (!pod.spec) return;
    defaultPodSpec(pod.spec);
    pod.spec.enableServiceLinks ??= true;
    // DefaultTolerationSeconds admission runs on updates too.
    addDefaultTolerations(pod);
  },
  prepareForCreate: (obj) => defaultPod(asPod(obj)),
  prepareForUpdate: (obj, old) => keepAdmittedFields(asPod(obj), asPod(old)),
  validate: (obj) => validatePod(asPod(obj)),
  validateUpdate: (obj, old) => validatePodUpdate(asPod(obj), asPod(old)),
  validateStatusUpdate: (obj, old) => validatePodStatusUpdate(asPod(obj), asPod(old)),
  gracePeriod: podGracePeriod,
  warnings: (obj) => podWarnings(asPod(obj)),
});

/** What admission set on create (priority, service account) stays when an update leaves it out. */
function keepAdmittedFields(pod: Pod, old: Pod): void {
  if (!pod.spec || !old.spec) return;
  pod.spec.priority ??= old.spec.priority;
  pod.spec.preemptionPolicy ??= old.spec.preemptionPolicy;
  pod.spec.serviceAccountName ??= old.spec.serviceAccountName;
  pod.spec.serviceAccount ??= old.spec.serviceAccount;
}

function podWarnings(pod: Pod): string[] {
  const warnings: string[] = [];
  if ((pod.spec?.terminationGracePeriodSeconds ?? 0) < 0) {
    warnings.push('spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1');
  }
  return warnings;
}

/**
 * The request's grace period, else the pod's terminationGracePeriodSeconds; a pod no node runs
 * (unscheduled) or that has finished goes at once (kube's CheckGracefulDelete).
 */
function podGracePeriod(obj: KubeObject, requested: number | undefined): number {
  const pod = asPod(obj);
  let period = requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  if (!pod.spec?.nodeName) period = 0;
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') period = 0;
  return period < 0 ? 1 : period;
}
