// apps/v1 Deployments: the shared workload rules plus strategy, revision history and progress deadline.
import type { Deployment, DeploymentStrategy } from 'kubernetes-types/apps/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { invalidEach, isValidPercent, nameIsDNSSubdomain } from './names.ts';
import { validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';
import { validateSelectorUpdate, validateStatusCounts, validateWorkloadSpec } from './workload.ts';

const specPath = FieldPath.root('spec');

function validateIntOrPercent(value: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof value === 'string') return invalidEach(path, value, isValidPercent(value));
  return validateNonnegative(value ?? 0, path);
}

const asNumber = (v: number | string | undefined): number => (typeof v === 'string' ? Number.parseInt(v, 10) || 0 : v ?? 0);

function validateStrategy(strategy: DeploymentStrategy | undefined, path: FieldPath): FieldError[] {
  const s = strategy ?? {};
  const ru = s.rollingUpdate;
  switch (s.type) {
    case 'Recreate':
      return ru ? [field.forbidden(path.child('rollingUpdate'), "may not be specified when strategy `type` is 'Recreate'")] : [];
    case 'RollingUpdate': {
      if (!ru) return [field.required(path.child('rollingUpdate'), 'this should be defaulted and never be nil')];
      const p = path.child('rollingUpdate');
      const errs = [
        ...validateIntOrPercent(ru.maxUnavailable, p.child('maxUnavailable')),
        ...validateIntOrPercent(ru.maxSurge, p.child('maxSurge')),
      ];
      if (asNumber(ru.maxUnavailable) === 0 && asNumber(ru.maxSurge) === 0) {
        errs.push(field.invalid(p.child('maxUnavailable'), ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      if (typeof ru.maxUnavailable === 'string' && asNumber(ru.maxUnavailable) > 100) {
        errs.push(field.invalid(p.child('maxUnavailable'), ru.maxUnavailable, 'must not be greater than 100%'));
      }
      return errs;
    }
    default:
      return [field.notSupported(path, s, ['Recreate', 'RollingUpdate'])];
  }
}

function validateDeploymentSpec(d: Deployment): FieldError[] {
  const spec = d.spec;
  const errs = validateWorkloadSpec(spec, specPath);
  errs.push(...validateStrategy(spec?.strategy, specPath.child('strategy')));
  errs.push(...validateNonnegative(spec?.minReadySeconds ?? 0, specPath.child('minReadySeconds')));
  if (spec?.revisionHistoryLimit !== undefined) {
    errs.push(...validateNonnegative(spec.revisionHistoryLimit, specPath.child('revisionHistoryLimit')));
  }
  const pds = spec?.progressDeadlineSeconds;
  if (pds !== undefined) {
    errs.push(...validateNonnegative(pds, specPath.child('progressDeadlineSeconds')));
    if (pds <= (spec?.minReadySeconds ?? 0)) {
      errs.push(field.invalid(specPath.child('progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateDeployment(d: Deployment): FieldError[] {
  return [...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain), ...validateDeploymentSpec(d)];
}

export function validateDeploymentUpdate(d: Deployment, old: Deployment): FieldError[] {
  return [
    ...validateObjectMetaUpdate(d.metadata, old.metadata),
    ...validateDeploymentSpec(d),
    ...validateSelectorUpdate(d.spec?.selector, old.spec?.selector, specPath.child('selector')),
  ];
}

export function validateDeploymentStatusUpdate(d: Deployment, old: Deployment): FieldError[] {
  return [...validateObjectMetaUpdate(d.metadata, old.metadata), ...validateStatusCounts(d.status)];
}
