// ObjectMeta validation (apimachinery api/validation/objectmeta.go and the core additions):
// name/generateName per kind, namespace presence, labels, annotations, ownerReferences, finalizers,
// and on update the fields that never change.
import type { ObjectMeta, OwnerReference } from 'kubernetes-types/meta/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { goStringSlice, goTime, invalidGo } from './govalue.ts';
import { invalidEach, isQualifiedName, isValidLabelValue, nameIsDNSLabel, type NameValidator } from './names.ts';

export const totalAnnotationSizeLimit = 256 * 1024;
const standardFinalizers = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
export const fieldImmutableErrorMsg = 'field is immutable';
export const isNegativeErrorMsg = 'must be greater than or equal to 0';

const metadataPath = FieldPath.root('metadata');

/** Labels: keys are qualified names, values label values; both reported on the labels path. */
export function validateLabels(labels: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    errs.push(...invalidEach(path, k, isQualifiedName(k)));
    errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > totalAnnotationSizeLimit) errs.push(field.tooLong(path, totalAnnotationSizeLimit));
  return errs;
}

function validateOwnerReference(ref: OwnerReference, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const version = (ref.apiVersion ?? '').split('/').pop() ?? '';
  if (!version) errs.push(field.invalid(path.child('apiVersion'), ref.apiVersion ?? '', 'version must not be empty'));
  if (!ref.kind) errs.push(field.invalid(path.child('kind'), ref.kind ?? '', 'kind must not be empty'));
  if (!ref.name) errs.push(field.invalid(path.child('name'), ref.name ?? '', 'name must not be empty'));
  if (!ref.uid) errs.push(field.invalid(path.child('uid'), ref.uid ?? '', 'uid must not be empty'));
  return errs;
}

export function validateOwnerReferences(refs: readonly OwnerReference[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const controllers: string[] = [];
  for (const ref of refs ?? []) {
    errs.push(...validateOwnerReference(ref, path));
    if (ref.controller) controllers.push(`${ref.kind}/${ref.name}`);
  }
  if (controllers.length > 1) {
    errs.push(field.invalid(path, refs,
      `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return errs;
}

export function validateFinalizers(finalizers: readonly string[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) {
    const msgs = isQualifiedName(f);
    errs.push(...invalidEach(path, f, msgs));
    if (msgs.length === 0 && !f.includes('/') && !standardFinalizers.has(f)) {
      errs.push(field.invalid(path, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

export function validateNonnegative(value: number, path: FieldPath): FieldError[] {
  return value < 0 ? [field.invalid(path, value, isNegativeErrorMsg)] : [];
}

/** ValidateObjectMeta: `namespaced` says whether the kind lives in a namespace. */
export function validateObjectMeta(
  meta: ObjectMeta | undefined,
  namespaced: boolean,
  nameFn: NameValidator,
  path: FieldPath = metadataPath,
): FieldError[] {
  const m = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) errs.push(...invalidEach(path.child('generateName'), m.generateName, nameFn(m.generateName, true)));
  if (!m.name) errs.push(field.required(path.child('name'), 'name or generateName is required'));
  else errs.push(...invalidEach(path.child('name'), m.name, nameFn(m.name, false)));
  if (namespaced) {
    if (!m.namespace) errs.push(field.required(path.child('namespace')));
    else errs.push(...invalidEach(path.child('namespace'), m.namespace, nameIsDNSLabel(m.namespace, false)));
  } else if (m.namespace) {
    errs.push(field.forbidden(path.child('namespace'), 'not allowed on this type'));
  }
  errs.push(...validateNonnegative(m.generation ?? 0, path.child('generation')));
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

export function validateImmutable(newValue: unknown, oldValue: unknown, path: FieldPath): FieldError[] {
  return deepEqual(newValue, oldValue) ? [] : [field.invalid(path, newValue, fieldImmutableErrorMsg)];
}

/** ValidateObjectMetaUpdate: what identifies an object and when it was made never changes. */
export function validateObjectMetaUpdate(
  meta: ObjectMeta | undefined,
  old: ObjectMeta | undefined,
  path: FieldPath = metadataPath,
): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const added = (m.finalizers ?? []).filter((f) => !(o.finalizers ?? []).includes(f));
    if (added.length) {
      errs.push(field.forbidden(path.child('finalizers'),
        `no new finalizers can be added if the object is being deleted, found new finalizers ${goStringSlice([...new Set(added)].sort())}`));
    }
  }
  if (!m.resourceVersion) errs.push(field.invalid(path.child('resourceVersion'), '', 'must be specified for an update'));
  if ((m.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(field.invalid(path.child('generation'), m.generation ?? 0, 'must not be decremented'));
  }
  errs.push(...validateImmutable(m.name ?? '', o.name ?? '', path.child('name')));
  errs.push(...validateImmutable(m.namespace ?? '', o.namespace ?? '', path.child('namespace')));
  errs.push(...validateImmutable(m.uid ?? '', o.uid ?? '', path.child('uid')));
  for (const key of ['creationTimestamp', 'deletionTimestamp'] as const) {
    if ((m[key] ?? '') !== (o[key] ?? '')) errs.push(invalidGo(path.child(key), goTime(m[key]), fieldImmutableErrorMsg));
  }
  if (m.deletionGracePeriodSeconds !== o.deletionGracePeriodSeconds) {
    errs.push(field.invalid(path.child('deletionGracePeriodSeconds'), m.deletionGracePeriodSeconds ?? null, fieldImmutableErrorMsg));
  }
  errs.push(...validateLabels(m.labels, path.child('labels')));
  errs.push(...validateAnnotations(m.annotations, path.child('annotations')));
  errs.push(...validateOwnerReferences(m.ownerReferences, path.child('ownerReferences')));
  errs.push(...validateFinalizers(m.finalizers, path.child('finalizers')));
  return errs;
}

/** Semantic equality of JSON values: an absent field equals an explicit undefined. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
}
