// Namespaces: cluster-scoped, named by a DNS-1123 label; the status phase follows deletion.
import type { Namespace } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { nameIsDNSLabel } from './names.ts';
import { validateFinalizers, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

const finalizersPath = FieldPath.root('spec').child('finalizers');

export function validateNamespace(ns: Namespace): FieldError[] {
  return [...validateObjectMeta(ns.metadata, false, nameIsDNSLabel), ...validateFinalizers(ns.spec?.finalizers, finalizersPath)];
}

export function validateNamespaceUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

export function validateNamespaceStatusUpdate(ns: Namespace, old: Namespace): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = ns.status?.phase ?? '';
  const path = FieldPath.root('status').child('Phase');
  if (!ns.metadata?.deletionTimestamp) {
    if (phase !== 'Active') errs.push(field.invalid(path, phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    errs.push(field.invalid(path, phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

/** The finalize subresource: only spec.finalizers change, each a valid finalizer name. */
export function validateNamespaceFinalizeUpdate(ns: Namespace, old: Namespace): FieldError[] {
  return [...validateObjectMetaUpdate(ns.metadata, old.metadata), ...validateFinalizers(ns.spec?.finalizers, finalizersPath)];
}
