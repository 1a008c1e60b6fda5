// Server-side apply (PATCH with application/apply-patch+yaml): the applied configuration is
// merged into the live object, the manager comes to own exactly the fields it applied, fields it
// applied before and left out now are removed unless someone else owns them, and changing a
// field another manager owns is a 409 conflict unless forced.
//
//   live ─┬─ untracked? record "before-first-apply" as owner of everything
//         ├─ merge(live, applied)            applied values win
//         ├─ prune(fields given up)          previous apply − now owned by anyone
//         ├─ compare(live, result)           others' changed fields: conflict (409) or, forced, lost
//         └─ managedFields: applier owns toFieldSet(applied)
import type { StatusCause } from 'kubernetes-types/meta/v1.d.ts';
import { ApiError, errors } from '../errors.ts';
import { field, type FieldError } from '../validation/field.ts';
import type { KubeObject } from '../registry/object.ts';
import { FieldType } from './fieldtype.ts';
import { FieldSet, pathString } from './fieldset.ts';
import { isMap, jsonEqual } from './goformat.ts';
import {
  addUpdate, compareObjects, decodeManagedFields, managerIdentifier, printManager, resetFields, setManagedFields,
  stripMeta, transferOwnership, withoutManagedFields, zeroObject, type FieldManagerOptions, type ManagerEntry, type Managers,
} from './managedfields.ts';
import { merge, prune, toFieldSet } from './typed.ts';

export interface ApplyOptions extends FieldManagerOptions {
  manager: string;
  force: boolean;
}

const fieldManagerMaxLength = 128;

/**
 * The PatchOptions checks for an apply patch (ValidatePatchOptions). Kubernetes reports them
 * against PatchOptions.meta.k8s.io whatever the target; the handler may pass the target's
 * group, kind and name before the manager.
 */
export function validateApplyOptions(...args: [manager: string] | [group: string, kind: string, name: string, manager: string]): void {
  const manager = args[args.length - 1]!;
  const errs: FieldError[] = [];
  if (manager === '') errs.push(field.required('fieldManager', 'is required for apply patch'));
  if (manager.length > fieldManagerMaxLength) errs.push(field.tooLong('fieldManager', fieldManagerMaxLength));
  [...manager].forEach((ch, i) => {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const code = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
      errs.push(field.invalid('fieldManager', manager, `invalid character U+${code} (at position ${i})`));
    }
  });
  if (errs.length > 0) throw errors.invalid('meta.k8s.io', 'PatchOptions', '', errs);
}

/** Applies `applied` for `opts.manager` to `live` (undefined: the object is being created). */
export function applyPatch(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  checkApplied(applied, opts.apiVersion);
  const type = new FieldType(opts.set, opts.schema);
  let managers: Managers;
  try {
    managers = decodeManagedFields(live?.metadata?.managedFields);
  } catch (err) {
    throw errors.internal(new Error(`failed to decode managed fields: ${(err as Error).message}`));
  }
  const liveObj = withoutManagedFields(live);
  // An object written before anyone applied is owned by "before-first-apply" as a whole.
  if (live && managers.size === 0) addUpdate(managers, zeroObject(opts), liveObj, { ...opts, manager: 'before-first-apply' });

  const entry: ManagerEntry = { manager: opts.manager, operation: 'Apply', apiVersion: opts.apiVersion, set: new FieldSet() };
  if (opts.subresource) entry.subresource = opts.subresource;
  const id = managerIdentifier(entry);
  const previous = managers.get(id);
  entry.set = toFieldSet(applied, type).without(resetFields(opts.subresource));
  if (previous?.time) entry.time = previous.time;
  managers.set(id, entry);

  let result = merge(liveObj, applied, type) as KubeObject;
  if (previous && !previous.set.empty()) result = prune(result, type, previous.set, ownedByAnyone(managers)) as KubeObject;
  result = dropNulls(result) as KubeObject;

  const conflicts = transferOwnership(managers, id, compareObjects(liveObj, result, opts), opts.force);
  if (conflicts.size > 0 && !opts.force) throw conflictError(managers, conflicts);
  entry.set = stripMeta(entry.set);
  if (entry.set.empty()) managers.delete(id);
  if (!entry.time || !jsonEqual(liveObj, result)) entry.time = opts.now;
  setManagedFields(result, managers);
  return result;
}

function checkApplied(applied: KubeObject, apiVersion: string): void {
  if (applied.apiVersion !== undefined && applied.apiVersion !== apiVersion) {
    throw errors.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${applied.apiVersion}, expected: ${apiVersion}`);
  }
  if (applied.metadata?.managedFields !== undefined && applied.metadata.managedFields !== null) {
    throw errors.badRequest('metadata.managedFields must be nil');
  }
}

function ownedByAnyone(managers: Managers): FieldSet {
  let all = new FieldSet();
  for (const m of managers.values()) all = all.union(m.set);
  return all;
}

/** A field applied as null is removed, as decoding into the typed object would drop it. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = dropNulls(v);
  return out;
}

/** The 409 Kubernetes answers (managedfields NewConflictError), managers in identifier order. */
function conflictError(managers: Managers, conflicts: Map<string, FieldSet>): ApiError {
  const byManager = [...conflicts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const causes: StatusCause[] = [];
  const lines: string[] = [];
  for (const [id, set] of byManager) {
    const who = printManager(managers.get(id)!);
    lines.push(`conflicts with ${who}:`);
    for (const path of set.paths()) {
      causes.push({ reason: 'FieldManagerConflict', message: `conflict with ${who}`, field: pathString(path) });
      lines.push(`- ${pathString(path)}`);
    }
  }
  const message = causes.length === 1
    ? `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`
    : `Apply failed with ${causes.length} conflicts: ${lines.join('\n')}`;
  return new ApiError('Conflict', 409, message, { causes });
}
