// coordination.k8s.io Leases: a positive duration and non-negative transitions.
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { isNegativeErrorMsg, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

const specPath = FieldPath.root('spec');

function validateLeaseSpec(lease: Lease): FieldError[] {
  const errs: FieldError[] = [];
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid(specPath.child('leaseDurationSeconds'), spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (spec.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
    errs.push(field.invalid(specPath.child('leaseTransitions'), spec.leaseTransitions, isNegativeErrorMsg));
  }
  return errs;
}

export function validateLease(lease: Lease): FieldError[] {
  return [...validateObjectMeta(lease.metadata, true, nameIsDNSSubdomain), ...validateLeaseSpec(lease)];
}

export function validateLeaseUpdate(lease: Lease, old: Lease): FieldError[] {
  return [...validateObjectMetaUpdate(lease.metadata, old.metadata), ...validateLeaseSpec(lease)];
}
