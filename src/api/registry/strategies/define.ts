// Builds a Strategy from the few things a kind says about itself; everything else is the
// common behaviour of kube-apiserver's generic registry.
import type { FieldError } from '../../validation/field.ts';
import { findResource } from '../catalog.ts';
import type { KubeObject } from '../object.ts';
import type { Strategy } from '../strategy.ts';

export interface KindRules {
  group?: string;
  resource: string;
  tracksGeneration?: boolean;
  allowCreateOnUpdate?: boolean;
  returnDeletedObject?: boolean;
  /** Status a client sends on create is dropped (kept only for nodes, whose agent reports it at once). */
  keepStatusOnCreate?: boolean;
  /** Kubernetes' SetDefaults_*: applied to every create and update, as kube does on decode. */
  defaults?(obj: KubeObject): void;
  /** What only a new object gets (admission defaults, initial status). */
  prepareForCreate?(obj: KubeObject): void;
  /** What an update carries over from the stored object. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  validate(obj: KubeObject): FieldError[];
  validateUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  validateFinalizeUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  warnings?(obj: KubeObject): string[];
  holdsDeletion?(obj: KubeObject): boolean;
  markDeleting?(obj: KubeObject): void;
}

export function defineStrategy(rules: KindRules): Strategy {
  const info = findResource(rules.group ?? '', 'v1', rules.resource);
  if (!info) throw new Error(`strategy for ${rules.resource}: not in the catalog`);
  const hasStatus = info.subresources.some((s) => s.name === 'status');
  return {
    info,
    tracksGeneration: rules.tracksGeneration ?? false,
    allowCreateOnUpdate: rules.allowCreateOnUpdate ?? false,
    returnDeletedObject: rules.returnDeletedObject ?? false,
    prepareForCreate: (obj) => {
      if (hasStatus && !rules.keepStatusOnCreate) delete obj.status;
      rules.defaults?.(obj);
      rules.prepareForCreate?.(obj);
    },
    validate: rules.validate,
    prepareForUpdate: (obj, old) => {
      // With a status subresource, status is written only through it.
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = old.status;
      }
      rules.defaults?.(obj);
      rules.prepareForUpdate?.(obj, old);
    },
    validateUpdate: rules.validateUpdate,
    validateStatusUpdate: rules.validateStatusUpdate ?? rules.validateUpdate,
    validateFinalizeUpdate: rules.validateFinalizeUpdate ?? rules.validateUpdate,
    gracePeriod: rules.gracePeriod ?? (() => 0),
    warnings: rules.warnings ?? (() => []),
    holdsDeletion: rules.holdsDeletion ?? (() => false),
    markDeleting: rules.markDeleting ?? (() => undefined),
  };
}
