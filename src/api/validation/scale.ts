// autoscaling/v1 Scale, the scale subresource of Deployments and ReplicaSets.
import type { Scale } from 'kubernetes-types/autoscaling/v1.d.ts';
import { FieldPath, type FieldError } from './field.ts';
import { nameIsDNSSubdomain } from './names.ts';
import { validateNonnegative, validateObjectMeta } from './objectmeta.ts';

export function validateScale(scale: Scale): FieldError[] {
  return [
    ...validateObjectMeta(scale.metadata, true, nameIsDNSSubdomain),
    ...validateNonnegative(scale.spec?.replicas ?? 0, FieldPath.root('spec').child('replicas')),
  ];
}
