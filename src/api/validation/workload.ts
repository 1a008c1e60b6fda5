// What Deployments and ReplicaSets share: a required, non-empty selector that matches the pod
// template's labels, a template that is a valid pod template restarting Always, and counts ≥ 0.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.d.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { goLabelSelector, goStringMap, invalidGo } from './govalue.ts';
import { selectorConvertible, selectorIsEmpty, selectorMatches, validateLabelSelector } from './labelselector.ts';
import { validateNonnegative } from './objectmeta.ts';
import { validatePodTemplateSpec } from './podspec.ts';

export interface WorkloadSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
}

function validateTemplateForReplicaSet(template: PodTemplateSpec | undefined, selector: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!template) return [field.required(path)];
  const errs: FieldError[] = [];
  const labels = template.metadata?.labels;
  if (selector && !selectorIsEmpty(selector) && !selectorMatches(selector, labels)) {
    errs.push(invalidGo(path.child('metadata', 'labels'), goStringMap(labels ?? {}), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, path));
  const restart = template.spec?.restartPolicy ?? '';
  if (restart !== 'Always') errs.push(field.notSupported(path.child('spec', 'restartPolicy'), restart, ['Always']));
  if (template.spec?.activeDeadlineSeconds !== undefined) {
    errs.push(field.invalid(path.child('spec', 'activeDeadlineSeconds'), template.spec.activeDeadlineSeconds,
      'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** The spec fields of ValidateDeploymentSpec / ValidateReplicaSetSpec up to the template. */
export function validateWorkloadSpec(spec: WorkloadSpec | undefined, path: FieldPath): FieldError[] {
  const s = spec ?? {};
  const errs = validateNonnegative(s.replicas ?? 0, path.child('replicas'));
  if (!s.selector) errs.push(field.required(path.child('selector')));
  else {
    errs.push(...validateLabelSelector(s.selector, path.child('selector')));
    if (selectorIsEmpty(s.selector)) {
      errs.push(invalidGo(path.child('selector'), goLabelSelector(s.selector), 'empty selector is invalid for deployment'));
    }
  }
  // Kubernetes only checks the template against a selector it could turn into a labels.Selector.
  if (s.selector && !selectorConvertible(s.selector)) {
    errs.push(invalidGo(path.child('selector'), goLabelSelector(s.selector), 'invalid label selector'));
  } else {
    errs.push(...validateTemplateForReplicaSet(s.template, s.selector, path.child('template')));
  }
  return errs;
}

/** apps/v1 selectors never change. */
export function validateSelectorUpdate(selector: LabelSelector | undefined, old: LabelSelector | undefined, path: FieldPath): FieldError[] {
  return JSON.stringify(selector ?? null) === JSON.stringify(old ?? null)
    ? []
    : [invalidGo(path, goLabelSelector(selector), 'field is immutable')];
}

/** Counters of Deployment and ReplicaSet status: non-negative and no more than status.replicas. */
export function validateStatusCounts(status: object | undefined): FieldError[] {
  const s = (status ?? {}) as Record<string, number | undefined>;
  const statusPath = FieldPath.root('status');
  const errs: FieldError[] = [];
  const counters = ['replicas', 'fullyLabeledReplicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas',
    'unavailableReplicas', 'observedGeneration'];
  for (const key of counters) if (s[key] !== undefined) errs.push(...validateNonnegative(s[key], statusPath.child(key)));
  const replicas = s.replicas ?? 0;
  for (const key of ['fullyLabeledReplicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas']) {
    const v = s[key];
    if (v !== undefined && v > replicas) errs.push(field.invalid(statusPath.child(key), v, 'cannot be greater than status.replicas'));
  }
  if ((s.availableReplicas ?? 0) > (s.readyReplicas ?? 0) && s.readyReplicas !== undefined) {
    errs.push(field.invalid(statusPath.child('availableReplicas'), s.availableReplicas, 'cannot be greater than readyReplicas'));
  }
  return errs;
}
