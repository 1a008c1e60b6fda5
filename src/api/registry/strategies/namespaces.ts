// Namespaces: Active on create with the kubernetes finalizer; the metadata.name label always.
import type { Namespace } from 'kubernetes-types/core/v1.d.ts';
import { validateNamespace, validateNamespaceFinalizeUpdate, validateNamespaceStatusUpdate, validateNamespaceUpdate } from '../../validation/namespace.ts';
import type { KubeObject } from '../object.ts';
import { defaultNamespace, defaultNamespaceLabel } from '../../defaults/namespace.ts';
import { defineStrategy } from './define.ts';

const asNamespace = (obj: KubeObject) => obj as Namespace;

export const namespaceStrategy = defineStrategy({
  resource: 'namespaces',
  defaults: (obj) => defaultNamespaceLabel(asNamespace(obj)),
  prepareForCreate: (obj) => defaultNamespace(asNamespace(obj)),
  validate: (obj) => validateNamespace(asNamespace(obj)),
  validateUpdate: (obj, old) => validateNamespaceUpdate(asNamespace(obj), asNamespace(old)),
  validateStatusUpdate: (obj, old) => validateNamespaceStatusUpdate(asNamespace(obj), asNamespace(old)),
  validateFinalizeUpdate: (obj, old) => validateNamespaceFinalizeUpdate(asNamespace(obj), asNamespace(old)),
  // The namespace controller empties a deleted namespace, then removes the kubernetes finalizer.
  holdsDeletion: (obj) => (asNamespace(obj).spec?.finalizers?.length ?? 0) > 0,
  markDeleting: (obj) => {
    obj.status = { ...(obj.status as object), phase: 'Terminating' };
  },
});
