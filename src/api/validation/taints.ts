// Taints (on nodes) and tolerations (on pods): qualified keys, label values, known effects and
// operators; a pod update may only add tolerations or change their tolerationSeconds.
import type { Taint, Toleration } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldError, type FieldPath } from './field.ts';
import { invalidEach, isQualifiedName, isValidLabelValue } from './names.ts';
import { deepEqual } from './objectmeta.ts';

const taintEffects = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const tolerationOperators = ['Equal', 'Exists'];

function validateTaintEffect(effect: string, allowEmpty: boolean, path: FieldPath): FieldError[] {
  if (!effect) return allowEmpty ? [] : [field.required(path)];
  return taintEffects.includes(effect) ? [] : [field.notSupported(path, effect, taintEffects)];
}

export function validateTolerations(tolerations: readonly Toleration[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const p = path.index(i);
    const key = t.key ?? '';
    const operator = t.operator ?? '';
    if (key) errs.push(...invalidEach(p.child('key'), key, isQualifiedName(key)));
    if (!key && operator !== 'Exists') {
      errs.push(field.invalid(p.child('operator'), operator,
        'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(field.invalid(p.child('effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    if (operator === 'Equal' || operator === '') {
      const msgs = isValidLabelValue(t.value ?? '');
      if (msgs.length) errs.push(field.invalid(p.child('operator'), t.value ?? '', msgs.join(';')));
    } else if (operator === 'Exists') {
      if (t.value) errs.push(field.invalid(p.child('operator'), t, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(field.notSupported(p.child('operator'), operator, tolerationOperators));
    }
    errs.push(...validateTaintEffect(t.effect ?? '', true, p.child('effect')));
  });
  return errs;
}

/** Existing tolerations stay (only their tolerationSeconds may change); new ones may be added. */
export function validateOnlyAddedTolerations(
  tolerations: readonly Toleration[] | undefined,
  old: readonly Toleration[] | undefined,
  path: FieldPath,
): FieldError[] {
  for (const o of old ?? []) {
    const kept = (tolerations ?? []).some((t) => deepEqual({ ...o, tolerationSeconds: t.tolerationSeconds }, t));
    if (!kept) return [field.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(tolerations, path);
}

export function validateTaints(taints: readonly Taint[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const p = path.index(i);
    errs.push(...invalidEach(p.child('key'), t.key, isQualifiedName(t.key ?? '')));
    if (t.value) errs.push(...invalidEach(p.child('value'), t.value, isValidLabelValue(t.value)));
    errs.push(...validateTaintEffect(t.effect ?? '', false, p.child('effect')));
    const id = `${t.key}\u0000${t.effect}`;
    if (seen.has(id)) {
      errs.push(new FieldError('FieldValueDuplicate', p, t, 'taints must be unique by key and effect pair'));
    }
    seen.add(id);
  });
  return errs;
}
