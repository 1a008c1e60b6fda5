// ConfigMaps: keys usable as file names, no key in both data and binaryData, at most 1 MiB, and
// nothing changes once `immutable` is set.
import type { ConfigMap } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { invalidEach, isConfigMapKey, nameIsDNSSubdomain } from './names.ts';
import { deepEqual, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';

/** core.MaxSecretSize, shared by ConfigMaps and Secrets. */
export const maxDataSize = 1024 * 1024;

/** Decoded size of a base64 value (binaryData, Secret data). */
export function base64Size(value: string): number {
  return Buffer.from(value, 'base64').length;
}

export function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs = validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain);
  let size = 0;
  const dataPath = FieldPath.root('data');
  for (const [key, value] of Object.entries(cm.data ?? {})) {
    errs.push(...invalidEach(dataPath.key(key), key, isConfigMapKey(key)));
    if (cm.binaryData && key in cm.binaryData) {
      errs.push(field.invalid(dataPath.key(key), key, 'duplicate of key present in binaryData'));
    }
    size += Buffer.byteLength(value);
  }
  for (const [key, value] of Object.entries(cm.binaryData ?? {})) {
    errs.push(...invalidEach(FieldPath.root('binaryData').key(key), key, isConfigMapKey(key)));
    size += base64Size(value);
  }
  // The empty path says the whole object is too large.
  if (size > maxDataSize) errs.push(field.tooLong(FieldPath.root(''), maxDataSize));
  return errs;
}

/** Errors for changes to an object whose `immutable` was true. */
export function validateImmutableData(
  obj: { immutable?: boolean } & Record<string, unknown>,
  old: { immutable?: boolean } & Record<string, unknown>,
  keys: readonly string[],
): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  const detail = 'field is immutable when `immutable` is set';
  if (!obj.immutable) errs.push(field.forbidden(FieldPath.root('immutable'), detail));
  for (const key of keys) if (!deepEqual(obj[key], old[key])) errs.push(field.forbidden(FieldPath.root(key), detail));
  return errs;
}

export function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  return [
    ...validateObjectMetaUpdate(cm.metadata, old.metadata),
    ...validateImmutableData(cm as Record<string, unknown>, old as Record<string, unknown>, ['data', 'binaryData']),
    ...validateConfigMap(cm),
  ];
}
