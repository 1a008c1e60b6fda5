// A strategy holds everything kind-specific the generic registry needs, as kube-apiserver's
// rest.RESTCreateStrategy / RESTUpdateStrategy / RESTGracefulDeleteStrategy do.
import type { FieldError } from '../validation/field.ts';
import type { KubeObject } from './object.ts';
import type { ResourceInfo } from './resource.ts';

export interface Strategy {
  info: ResourceInfo;
  /** metadata.generation starts at 1 and grows with every spec change. */
  tracksGeneration: boolean;
  /** PUT of a missing object creates it (events, leases). */
  allowCreateOnUpdate: boolean;
  /** Defaults and server-set fields of a new object (status reset, QoS, initial phase). */
  prepareForCreate(obj: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  /** Carries over what a main-resource update may not change (status, when there is a status subresource). */
  prepareForUpdate(obj: KubeObject, old: KubeObject): void;
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** For the status subresource: everything but status comes from the old object. */
  validateStatusUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /** For namespaces/finalize: only spec.finalizers comes from the request. */
  validateFinalizeUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Seconds of graceful deletion for this object given the request's gracePeriodSeconds;
   * 0 deletes at once. Only pods are graceful.
   */
  gracePeriod(obj: KubeObject, requested: number | undefined): number;
  /**
   * Finalizers beyond metadata.finalizers that keep a deleted object (a namespace's
   * spec.finalizers), and what marking it deleted changes (a namespace turns Terminating).
   */
  holdsDeletion(obj: KubeObject): boolean;
  markDeleting(obj: KubeObject): void;
  /** Warnings for a valid but questionable object, returned as Warning headers (GetWarnings). */
  warnings(obj: KubeObject): string[];
  /** DELETE answers with the deleted object (pods) rather than a Success Status. */
  returnDeletedObject: boolean;
}
