// metadata.managedFields: who owns which fields, kept the way kube-apiserver's field manager
// keeps it. Every write updates it — apply (apply.ts) and ordinary create/update/patch
// (recordUpdate here) — so later applies see conflicts with e.g. kubectl-edit.
//
//   decode entries ─▶ managers (by identifier) ─▶ compare live→new ─▶ others lose changed and
//   removed fields ─▶ this manager gains changed fields ─▶ strip meta ─▶ encode, sorted
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.d.ts';
import type { Schema, SchemaSet } from '../schema/schema.ts';
import type { KubeObject } from '../registry/object.ts';
import { FieldType } from './fieldtype.ts';
import { FieldSet, type Path } from './fieldset.ts';
import { isMap } from './goformat.ts';
import { compare, type Comparison } from './typed.ts';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  time?: string;
  set: FieldSet;
}

/** Entries by manager identifier (manager, operation, subresource and, for Update, apiVersion). */
export type Managers = Map<string, ManagerEntry>;

export interface FieldManagerOptions {
  schema: Schema;
  set: SchemaSet;
  /** RFC 3339 time of this write. */
  now: string;
  /** "v1", "apps/v1": the version the write was made in. */
  apiVersion: string;
  /** '' for the main resource, 'status' for the status subresource. */
  subresource?: string;
}

export interface UpdateOptions extends FieldManagerOptions {
  manager: string;
}

/** BuildManagerIdentifier: the entry without fields and time; appliers without apiVersion. */
export function managerIdentifier(e: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>): string {
  const id: Record<string, string> = { manager: e.manager, operation: e.operation };
  if (e.operation === 'Update' && e.apiVersion) id.apiVersion = e.apiVersion;
  if (e.subresource) id.subresource = e.subresource;
  return JSON.stringify(id);
}

/** The manager as conflict messages name it: "kubectl-edit" using v1. */
export function printManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === 'Update' ? `${s} using ${e.apiVersion}` : s;
}

export function decodeManagedFields(entries: unknown): Managers {
  const managers: Managers = new Map();
  if (entries === undefined || entries === null) return managers;
  if (!Array.isArray(entries)) throw new Error('managedFields must be a list');
  entries.forEach((raw: ManagedFieldsEntry, i) => {
    if (raw.operation !== 'Apply' && raw.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!raw.apiVersion) throw new Error('apiVersion must not be empty');
    if (raw.fieldsType !== 'FieldsV1') {
      throw new Error(raw.fieldsType ? `invalid fieldsType "${raw.fieldsType}" in managed fields entry ${i}` : `missing fieldsType in managed fields entry ${i}`);
    }
    const entry: ManagerEntry = { manager: raw.manager ?? '', operation: raw.operation, apiVersion: raw.apiVersion, set: FieldSet.fromFieldsV1(raw.fieldsV1) };
    if (raw.subresource) entry.subresource = raw.subresource;
    if (raw.time) entry.time = raw.time;
    managers.set(managerIdentifier(entry), entry);
  });
  return managers;
}

/** Entries sorted as the apiserver sorts them: operation, time, manager, apiVersion, subresource. */
export function encodeManagedFields(managers: Managers): ManagedFieldsEntry[] | undefined {
  if (managers.size === 0) return undefined;
  const entries = [...managers.values()].map((m) => {
    const e: ManagedFieldsEntry = { manager: m.manager, operation: m.operation, apiVersion: m.apiVersion };
    if (m.time) e.time = m.time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = m.set.toFieldsV1();
    if (m.subresource) e.subresource = m.subresource;
    return e;
  });
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((p, q) => cmp(p.operation, q.operation) || seconds(p.time) - seconds(q.time) ||
    cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource, q.subresource));
}

/** Fields nobody is said to own (stripMetaManager): identity and server-set metadata. */
const stripSet = (() => {
  const s = new FieldSet();
  s.insert([{ field: 'apiVersion' }]);
  s.insert([{ field: 'kind' }]);
  s.insert([{ field: 'metadata' }]);
  for (const f of ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion']) {
    s.insert([{ field: 'metadata' }, { field: f }]);
  }
  return s;
})();

export function stripMeta(set: FieldSet): FieldSet {
  return set.difference(stripSet);
}

/** Fields a write to this endpoint cannot change (the strategies' reset fields). */
export function resetFields(subresource = ''): Path[] {
  return subresource === 'status' ? [[{ field: 'spec' }]] : [[{ field: 'status' }]];
}

/** live → next, without the reset fields. */
export function compareObjects(live: KubeObject, next: KubeObject, opts: FieldManagerOptions): Comparison {
  const c = compare(live, next, new FieldType(opts.set, opts.schema));
  const reset = resetFields(opts.subresource);
  return { added: c.added.without(reset), modified: c.modified.without(reset), removed: c.removed.without(reset) };
}

/**
 * Takes changed fields away from every manager but `self`; returns the fields each would lose
 * to a change (for apply's conflict check). Removed fields are simply dropped.
 */
export function transferOwnership(managers: Managers, self: string, change: Comparison, force: boolean): Map<string, FieldSet> {
  const changed = change.modified.union(change.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, m] of managers) {
    if (id === self) continue;
    const lost = m.set.intersection(changed);
    if (!lost.empty()) conflicts.set(id, lost);
  }
  if (conflicts.size > 0 && !force) return conflicts;
  for (const [id, m] of managers) {
    if (id === self) continue;
    m.set = m.set.difference(conflicts.get(id) ?? new FieldSet()).difference(change.removed);
    if (m.set.empty()) managers.delete(id);
  }
  return conflicts;
}

export function withoutManagedFields(obj: KubeObject | undefined): KubeObject {
  const copy = structuredClone(obj ?? {});
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

/**
 * The kind's zero value as the apiserver serializes a new Go object: top-level structs (metadata,
 * spec, status) present and empty, their required (non-omitempty) members null or empty structs.
 * Comparing a created object against it records what kube-apiserver records on create.
 */
export function zeroObject(opts: FieldManagerOptions): KubeObject {
  const kind = new FieldType(opts.set, opts.schema);
  const zero: KubeObject = {};
  for (const name of kind.propertyNames()) {
    if (kind.field(name).isStruct()) zero[name] = zeroStruct(kind.field(name), 0);
  }
  return zero;
}

function zeroStruct(type: FieldType, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of type.requiredNames()) {
    const f = type.field(name);
    out[name] = f.isStruct() && depth < 8 ? zeroStruct(f, depth + 1) : null;
  }
  return out;
}

/** decodeLiveOrNew: `managedFields: []` resets; empty or undecodable keeps the live ones. */
function managersForUpdate(before: KubeObject | undefined, after: KubeObject): Managers {
  const requested = after.metadata?.managedFields;
  if (Array.isArray(requested) && (requested.length === 0 || (requested.length === 1 && Object.keys(requested[0] ?? {}).length === 0))) {
    return new Map();
  }
  try {
    const managers = decodeManagedFields(requested);
    if (managers.size > 0) return managers;
  } catch {
    // fall back to the live object's entries, as the apiserver does
  }
  try {
    return decodeManagedFields(before?.metadata?.managedFields);
  } catch {
    return new Map();
  }
}

/** Records an ordinary write (create: before undefined) by `manager` in after.metadata.managedFields. */
export function recordUpdate(before: KubeObject | undefined, after: KubeObject, opts: UpdateOptions): KubeObject {
  const managers = managersForUpdate(before, after);
  const result = withoutManagedFields(after);
  addUpdate(managers, before ? withoutManagedFields(before) : zeroObject(opts), result, opts);
  setManagedFields(result, managers);
  return result;
}

/** The Update step shared by recordUpdate and apply's first apply to an untracked object. */
export function addUpdate(managers: Managers, live: KubeObject, next: KubeObject, opts: UpdateOptions): void {
  const entry: ManagerEntry = { manager: opts.manager, operation: 'Update', apiVersion: opts.apiVersion, set: new FieldSet() };
  if (opts.subresource) entry.subresource = opts.subresource;
  const id = managerIdentifier(entry);
  const change = compareObjects(live, next, opts);
  transferOwnership(managers, id, change, true);
  const gained = stripMeta(change.modified.union(change.added));
  const previous = managers.get(id);
  if (previous) previous.set = previous.set.difference(change.removed);
  // Only a write that changed something is recorded, and only then does its time move.
  if (gained.empty()) {
    if (previous?.set.empty()) managers.delete(id);
    return;
  }
  managers.set(id, { ...entry, set: previous ? previous.set.union(gained) : gained, time: opts.now });
}

export function setManagedFields(obj: KubeObject, managers: Managers): void {
  const encoded = encodeManagedFields(managers);
  if (!isMap(obj.metadata)) obj.metadata = {};
  if (encoded) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}
