// apps/v1 ReplicaSets: the shared workload rules, minReadySeconds, and status counts that add up.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import { FieldPath, type FieldError } from './field.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { validateNonnegative, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';
import { validateSelectorUpdate, validateStatusCounts, validateWorkloadSpec } from './workload.ts';

const specPath = FieldPath.root('spec');

function validateReplicaSetSpec(rs: ReplicaSet): FieldError[] {
  return [
    ...validateNonnegative(rs.spec?.minReadySeconds ?? 0, specPath.child('minReadySeconds')),
    ...validateWorkloadSpec(rs.spec, specPath),
  ];
}

export function validateReplicaSet(rs: ReplicaSet): FieldError[] {
  return [...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain), ...validateReplicaSetSpec(rs)];
}

export function validateReplicaSetUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [
    ...validateObjectMetaUpdate(rs.metadata, old.metadata),
    ...validateReplicaSetSpec(rs),
    ...validateSelectorUpdate(rs.spec?.selector, old.spec?.selector, specPath.child('selector')),
  ];
}

export function validateReplicaSetStatusUpdate(rs: ReplicaSet, old: ReplicaSet): FieldError[] {
  return [...validateObjectMetaUpdate(rs.metadata, old.metadata), ...validateStatusCounts(rs.status)];
}
