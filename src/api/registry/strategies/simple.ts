// Kinds whose rules are only their validation: events, configmaps, secrets, serviceaccounts,
// services, leases.
import type { ConfigMap, Event, Secret, Service, ServiceAccount } from 'kubernetes-types/core/v1.d.ts';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import { validateConfigMap, validateConfigMapUpdate } from '../../validation/configmap.ts';
import { validateEvent, validateEventUpdate } from '../../validation/event.ts';
import { validateLease, validateLeaseUpdate } from '../../validation/lease.ts';
import { validateSecret, validateSecretUpdate } from '../../validation/secret.ts';
import { validateService, validateServiceUpdate } from '../../validation/service.ts';
import { validateServiceAccount, validateServiceAccountUpdate } from '../../validation/serviceaccount.ts';
import type { KubeObject } from '../object.ts';
import { defaultEvent } from '../../defaults/event.ts';
import { defaultSecret } from '../../defaults/secret.ts';
import { defaultService } from '../../defaults/service.ts';
import { defineStrategy } from './define.ts';

type Validate<T> = (obj: T) => ReturnType<typeof validateEvent>;
type ValidateUpdate<T> = (obj: T, old: T) => ReturnType<typeof validateEvent>;

function checked<T>(validate: Validate<T>, validateUpdate: ValidateUpdate<T>) {
  return {
    validate: (obj: KubeObject) => validate(obj as unknown as T),
    validateUpdate: (obj: KubeObject, old: KubeObject) => validateUpdate(obj as unknown as T, old as unknown as T),
  };
}

export const eventStrategy = defineStrategy({ resource: 'events', allowCreateOnUpdate: true, defaults: (obj) => defaultEvent(obj as unknown as Event), ...checked<Event>(validateEvent, validateEventUpdate) });
export const configMapStrategy = defineStrategy({ resource: 'configmaps', ...checked<ConfigMap>(validateConfigMap, validateConfigMapUpdate) });
export const secretStrategy = defineStrategy({
  resource: 'secrets',
  defaults: (obj) => defaultSecret(obj as Secret),
  ...checked<Secret>(validateSecret, validateSecretUpdate),
});
export const serviceAccountStrategy = defineStrategy({ resource: 'serviceaccounts', ...checked<ServiceAccount>(validateServiceAccount, validateServiceAccountUpdate) });
export const serviceStrategy = defineStrategy({ resource: 'services', defaults: (obj) => defaultService(obj as Service), ...checked<Service>(validateService, validateServiceUpdate) });
export const leaseStrategy = defineStrategy({ group: 'coordination.k8s.io', resource: 'leases', allowCreateOnUpdate: true, ...checked<Lease>(validateLease, validateLeaseUpdate) });
