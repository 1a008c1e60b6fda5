// ServiceAccounts: metadata only (a DNS subdomain name in a namespace), plus secret references.
import type { ServiceAccount } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

export function validateServiceAccount(sa: ServiceAccount): FieldError[] {
  const errs = validateObjectMeta(sa.metadata, true, nameIsDNSSubdomain);
  (sa.imagePullSecrets ?? []).forEach((ref, i) => {
    if (!ref.name) errs.push(field.required(FieldPath.root('imagePullSecrets').index(i).child('name')));
  });
  return errs;
}

export function validateServiceAccountUpdate(sa: ServiceAccount, old: ServiceAccount): FieldError[] {
  return [...validateObjectMetaUpdate(sa.metadata, old.metadata), ...validateServiceAccount(sa)];
}
