// metav1.LabelSelector: validation (ValidateLabelSelector) and matching against a label set.
import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { invalidEach, isQualifiedName, isValidLabelValue } from './names.ts';
import { validateLabels } from './objectmeta.ts';

function validateRequirement(r: LabelSelectorRequirement, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(path.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(path.child('values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      errs.push(field.invalid(path.child('operator'), r.operator, 'not a valid selector operator'));
  }
  errs.push(...invalidEach(path.child('key'), r.key, isQualifiedName(r.key ?? '')));
  values.forEach((v, i) => errs.push(...invalidEach(path.child('values').index(i), v, isValidLabelValue(v))));
  return errs;
}

export function validateLabelSelector(s: LabelSelector | undefined, path: FieldPath): FieldError[] {
  if (!s) return [];
  const errs: FieldError[] = [];
  (s.matchExpressions ?? []).forEach((r, i) => errs.push(...validateRequirement(r, path.child('matchExpressions').index(i))));
  errs.push(...validateLabels(s.matchLabels, path.child('matchLabels')));
  return errs;
}

/** True when the selector selects nothing-in-particular (no labels, no expressions): kube's Empty(). */
export function selectorIsEmpty(s: LabelSelector | undefined): boolean {
  return !s || (Object.keys(s.matchLabels ?? {}).length === 0 && (s.matchExpressions ?? []).length === 0);
}

/** Whether metav1.LabelSelectorAsSelector accepts the selector (known operators, values as they require). */
export function selectorConvertible(s: LabelSelector): boolean {
  return (s.matchExpressions ?? []).every((r) => validateRequirement(r, FieldPath.root('')).length === 0) &&
    validateLabels(s.matchLabels, FieldPath.root('')).length === 0;
}

/** metav1.LabelSelectorAsSelector(s).Matches(labels). A nil selector matches nothing. */
export function selectorMatches(s: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!s) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(s.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const r of s.matchExpressions ?? []) {
    const has = Object.hasOwn(l, r.key);
    const inValues = has && (r.values ?? []).includes(l[r.key]!);
    const ok = r.operator === 'In' ? inValues
      : r.operator === 'NotIn' ? !inValues
      : r.operator === 'Exists' ? has
      : r.operator === 'DoesNotExist' ? !has
      : false;
    if (!ok) return false;
  }
  return true;
}
