// Objects seen through their schema the way structured-merge-diff sees them for server-side
// apply: which paths a value sets (toFieldSet), what changed between two values (compare), how
// an applied configuration merges into the live object (merge), and the removal of fields an
// applier gave up (prune).
//
//   object  ─ field: f:<name> ─ map value / struct field
//           ─ list  atomic: one leaf | set: v:<item> | map: k:{<keys>} then the item's fields
import { ApiError } from '../errors.ts';
import type { FieldType } from './fieldtype.ts';
import { FieldSet, pathString, type Path, type PathElement } from './fieldset.ts';
import { isMap, jsonEqual } from './goformat.ts';

type JSONMap = Record<string, unknown>;

/** The path element naming one item of a set or keyed list. */
export function itemElement(list: FieldType, item: unknown, path: Path): PathElement {
  if (list.listRelationship() === 'set') return { value: item };
  if (!isMap(item)) throw invalidList(path, 'associative list with keys may not have non-map elements');
  const key: [string, unknown][] = [];
  for (const name of list.listKeys()) {
    const v = Object.hasOwn(item, name) ? item[name] : list.keyDefault(name);
    if (v !== undefined) key.push([name, v]);
  }
  if (key.length === 0) {
    throw invalidList(path, `associative list with keys has an element that omits all key fields ${JSON.stringify(list.listKeys())} (and doesn't have default values for any key fields)`);
  }
  key.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { key };
}

function invalidList(path: Path, detail: string): ApiError {
  return new ApiError('BadRequest', 400, `${pathString(path)}: ${detail}`);
}

function isGranularList(type: FieldType, v: unknown): v is unknown[] {
  return Array.isArray(v) && v.length > 0 && type.listRelationship() !== 'atomic';
}

function isGranularMap(type: FieldType, v: unknown): v is JSONMap {
  return isMap(v) && Object.keys(v).length > 0 && !type.atomicMap();
}

/** The paths `value` sets: leaves, atomic lists and maps, list items, map keys. */
export function toFieldSet(value: unknown, type: FieldType, path: Path = [], set = new FieldSet()): FieldSet {
  if (isGranularMap(type, value)) {
    for (const [k, child] of Object.entries(value)) {
      const childPath = [...path, { field: k }];
      toFieldSet(child, type.field(k), childPath, set);
      const emptyMap = isMap(child) && Object.keys(child).length === 0;
      if (child === null || emptyMap || !type.isNamedField(k)) set.insert(childPath);
    }
  } else if (Array.isArray(value) && type.listRelationship() !== 'atomic') {
    const seen = new Map<string, number>();
    const elements = value.map((item) => itemElement(type, item, path));
    for (const pe of elements) seen.set(JSON.stringify(pe), (seen.get(JSON.stringify(pe)) ?? 0) + 1);
    value.forEach((item, i) => {
      const childPath = [...path, elements[i]!];
      if (seen.get(JSON.stringify(elements[i])) === 1) toFieldSet(item, type.item(), childPath, set);
      set.insert(childPath);
    });
  } else {
    set.insert(path);
  }
  return set;
}

export interface Comparison {
  added: FieldSet;
  modified: FieldSet;
  removed: FieldSet;
}

/** What changed from `lhs` to `rhs` (either may be undefined: absent). */
export function compare(lhs: unknown, rhs: unknown, type: FieldType): Comparison {
  const c: Comparison = { added: new FieldSet(), modified: new FieldSet(), removed: new FieldSet() };
  compareAt(lhs, rhs, type, [], c);
  return c;
}

function compareAt(lhs: unknown, rhs: unknown, type: FieldType, path: Path, c: Comparison): void {
  const shape = (v: unknown) => (isMap(v) ? 'map' : Array.isArray(v) ? 'list' : v === null ? 'null' : 'leaf');
  const container = (v: unknown) => isMap(v) || Array.isArray(v);
  // null next to a map or list is that container left empty (a nil slice or map that is not omitted).
  const l = lhs === null && container(rhs) ? undefined : lhs;
  const r = rhs === null && container(lhs) ? undefined : rhs;
  if (l !== undefined && r !== undefined && shape(l) !== shape(r)) {
    // A value that changed shape: its old content is gone and the field itself changed.
    for (const p of toFieldSet(l, type, path).paths()) if (p.length > path.length) c.removed.insert(p);
    c.modified.insert(path);
    return;
  }
  const granular = (v: unknown) => isGranularMap(type, v) || isGranularList(type, v);
  if (!granular(l) && !granular(r)) {
    if (lhs === undefined) c.added.insert(path);
    else if (rhs === undefined) c.removed.insert(path);
    else if (!jsonEqual(lhs, rhs)) c.modified.insert(path);
    return;
  }
  if (isMap(l) || isMap(r)) {
    const lm = (l ?? {}) as JSONMap;
    const rm = (r ?? {}) as JSONMap;
    for (const k of new Set([...Object.keys(lm), ...Object.keys(rm)])) {
      compareAt(lm[k], rm[k], type.field(k), [...path, { field: k }], c);
    }
  } else {
    compareListItems((l ?? []) as unknown[], (r ?? []) as unknown[], type, path, c);
  }
  if (lhs === undefined) c.added.insert(path);
  else if (rhs === undefined) c.removed.insert(path);
}

function compareListItems(lhs: unknown[], rhs: unknown[], type: FieldType, path: Path, c: Comparison): void {
  const group = (list: unknown[]) => {
    const m = new Map<string, { pe: PathElement; items: unknown[] }>();
    for (const item of list) {
      const pe = itemElement(type, item, path);
      const id = JSON.stringify(pe);
      if (m.has(id)) m.get(id)!.items.push(item);
      else m.set(id, { pe, items: [item] });
    }
    return m;
  };
  const l = group(lhs);
  const r = group(rhs);
  for (const id of new Set([...l.keys(), ...r.keys()])) {
    const pe = (l.get(id) ?? r.get(id))!.pe;
    const li = l.get(id)?.items ?? [];
    const ri = r.get(id)?.items ?? [];
    const itemPath = [...path, pe];
    if (li.length <= 1 && ri.length <= 1) compareAt(li[0], ri[0], type.item(), itemPath, c);
    else if (li.length >= 2 && ri.length >= 2) {
      if (!jsonEqual(li, ri)) c.modified.insert(itemPath);
    } else if (li.length >= 2) {
      if (ri.length) compareAt(undefined, ri[0], type.item(), itemPath, c);
      c.removed.insert(itemPath);
    } else {
      if (li.length) compareAt(li[0], undefined, type.item(), itemPath, c);
      c.added.insert(itemPath);
    }
  }
}

/** Merges an applied configuration into the live object: the applied value wins on leaves. */
export function merge(lhs: unknown, rhs: unknown, type: FieldType, path: Path = []): unknown {
  if (rhs === undefined) return lhs;
  if (lhs === undefined) return rhs;
  if (isMap(lhs) && isMap(rhs) && (isGranularMap(type, lhs) || isGranularMap(type, rhs))) {
    const out: JSONMap = {};
    for (const k of new Set([...Object.keys(lhs), ...Object.keys(rhs)])) {
      out[k] = merge(lhs[k], rhs[k], type.field(k), [...path, { field: k }]);
    }
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs) && (isGranularList(type, lhs) || isGranularList(type, rhs))) {
    return mergeListItems(lhs, rhs, type, path);
  }
  return rhs;
}

/** structured-merge-diff's list merge: applied items in applied order, live-only items kept in place. */
function mergeListItems(lhs: unknown[], rhs: unknown[], type: FieldType, path: Path): unknown[] {
  const id = (item: unknown) => JSON.stringify(itemElement(type, item, path));
  const lIds = lhs.map(id);
  const rIds = rhs.map(id);
  const rById = new Map<string, unknown>();
  rIds.forEach((k, i) => {
    if (rById.has(k)) throw invalidList(path, `duplicate entries for key ${id(rhs[i])}`);
    rById.set(k, rhs[i]);
  });
  const lById = new Map<string, unknown>();
  lIds.forEach((k, i) => lById.set(k, lById.has(k) ? null : lhs[i]));
  const shared = rIds.filter((k) => lById.has(k));
  let nextShared = shared.shift();
  const merged = new Set<string>();
  const out: unknown[] = [];
  const emit = (k: string) => {
    const itemPath = [...path, itemElement(type, rById.get(k), path)];
    out.push(merge(lById.get(k) ?? undefined, rById.get(k), type.item(), itemPath));
  };
  let li = 0;
  let ri = 0;
  while (li < lIds.length || ri < rIds.length) {
    if (li < lIds.length && ri < rIds.length) {
      if (lIds[li] === rIds[ri]) {
        merged.add(lIds[li]!);
        emit(lIds[li]!);
        li++;
        ri++;
        nextShared = shared.shift();
        continue;
      }
      if (rById.has(lIds[li]!) && nextShared !== undefined && nextShared !== lIds[li]) {
        li++;
        continue;
      }
    }
    if (li < lIds.length) {
      if (!rById.has(lIds[li]!)) {
        out.push(lhs[li]);
        li++;
        continue;
      }
      if (merged.has(lIds[li]!)) li++;
    }
    if (ri < rIds.length) {
      const k = rIds[ri]!;
      merged.add(k);
      emit(k);
      ri++;
      if (nextShared === k) nextShared = shared.shift();
    }
  }
  return out;
}

/**
 * Removes what an applier gave up: paths in `last` (its previous apply) that no manager owns
 * now. Struct fields count as owned when anything below them is owned.
 */
export function prune(value: unknown, type: FieldType, last: FieldSet, owned: FieldSet, path: Path = []): unknown {
  const givenUp = (p: Path, named: boolean) => inSet(last, p, named) && !inSet(owned, p, named);
  if (isGranularMap(type, value)) {
    const out: JSONMap = {};
    for (const [k, child] of Object.entries(value)) {
      const p = [...path, { field: k }];
      if (!givenUp(p, type.isNamedField(k))) out[k] = prune(child, type.field(k), last, owned, p);
    }
    return out;
  }
  if (isGranularList(type, value)) {
    return value.flatMap((item) => {
      const p = [...path, itemElement(type, item, path)];
      return givenUp(p, false) ? [] : [prune(item, type.item(), last, owned, p)];
    });
  }
  return value;
}

function inSet(set: FieldSet, p: Path, named: boolean): boolean {
  return set.has(p) || (named && set.at(p) !== undefined);
}
