// Strategic merge patch, applied the way apimachinery's strategicpatch applies it on the
// server (MergeParallelList, IgnoreUnmatchedNulls), driven by the x-kubernetes-patch-merge-key
// and x-kubernetes-patch-strategy of the target's schema.
//
//   mergeMap(original, patch)
//     $patch: replace|delete ─▶ the patch itself | {}
//     $retainKeys            ─▶ drop server keys not listed
//     $setElementOrder/f     ─▶ merge list f, then order it as listed
//     f: null                ─▶ delete f
//     f: {...}  (both maps)  ─▶ mergeMap, unless strategy "replace"
//     f: [...]  (both lists) ─▶ strategy "merge": mergeSlice by merge key; else replace
//     $deleteFromPrimitiveList/f ─▶ remove those scalars from f
//     anything else          ─▶ replace (directives and nulls stripped)
import type { Schema, SchemaSet } from '../schema/schema.ts';
import { errors } from '../errors.ts';
import { FieldType } from './fieldtype.ts';
import { goValue, isMap, jsonKind } from './goformat.ts';
import { smpErrors } from './smperrors.ts';
import { goKind, mergeSlice, normalizeElementOrder, partition, sliceElementKind, type JSONMap } from './strategiclist.ts';

const directiveMarker = '$patch';
const retainKeysDirective = '$retainKeys';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList';
const setElementOrderPrefix = '$setElementOrder';

/**
 * Apply a strategic merge patch to `original` (not modified). `schema` is the target kind's
 * definition; fields it does not describe merge like a JSON merge patch.
 */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema: Schema, set: SchemaSet): unknown {
  if (patch === null) return structuredClone(original);
  if (!isMap(patch)) {
    throw errors.badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type map[string]interface {}`);
  }
  if (!isMap(original)) throw smpErrors.badJSONDoc();
  return mergeMap(structuredClone(original), structuredClone(patch), new FieldType(set, schema));
}

function mergeMap(original: JSONMap, patch: JSONMap, schema: FieldType): JSONMap {
  if (Object.hasOwn(patch, directiveMarker)) return mapDirective(patch[directiveMarker], patch);
  applyRetainKeys(original, patch);
  mergeOrderedLists(original, patch, schema);
  for (const [rawKey, patchV] of Object.entries(patch)) {
    const isDeleteList = rawKey.startsWith(deleteFromPrimitiveListPrefix);
    const k = isDeleteList ? extractKey(rawKey, deleteFromPrimitiveListPrefix) : rawKey;
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!Object.hasOwn(original, k) || goKind(original[k]) !== goKind(patchV)) {
      if (!isDeleteList) setStripped(original, k, patchV);
      continue;
    }
    const field = schema.field(k);
    const strategy = otherStrategy(field);
    if (isMap(patchV)) {
      original[k] = strategy === 'replace' ? patchV : mergeMap(original[k] as JSONMap, patchV, field);
    } else if (Array.isArray(patchV)) {
      original[k] = strategy === 'merge' || isDeleteList
        ? mergeSlice(original[k] as unknown[], patchV, field.item(), field.patchMergeKey(), isDeleteList, mergeMap)
        : patchV;
    } else {
      setStripped(original, k, patchV);
    }
  }
  return original;
}

function mapDirective(directive: unknown, patch: JSONMap): JSONMap {
  if (directive === 'replace') {
    delete patch[directiveMarker];
    return patch;
  }
  if (directive === 'delete') return {};
  throw smpErrors.badPatchType(directive, patch);
}

/** Sets a value from the patch that has nothing to merge with: no nulls, no directives. */
function setStripped(original: JSONMap, k: string, patchV: unknown): void {
  discardNulls(patchV);
  const [value, keep] = removeDirectives(patchV);
  if (keep) original[k] = value;
  else delete original[k];
}

/** The patch strategy other than retainKeys ("merge", "replace" or ""). */
function otherStrategy(field: FieldType): string {
  const strategies = field.patchStrategies();
  if (strategies.length <= 1) return strategies[0] === 'retainKeys' ? '' : (strategies[0] ?? '');
  if (strategies.length === 2) {
    if (strategies[0] === 'retainKeys') return strategies[1]!;
    if (strategies[1] === 'retainKeys') return strategies[0]!;
  }
  throw smpErrors.other(`unexpected patch strategy: [${strategies.join(' ')}]`);
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf('/');
  if (slash < 0 || key.slice(0, slash) !== prefix) {
    throw prefix === setElementOrderPrefix ? smpErrors.badSetElementOrder() : smpErrors.badPrimitiveList();
  }
  return key.slice(slash + 1);
}

/** $retainKeys: every patched key must be listed; server keys not listed are cleared. */
function applyRetainKeys(original: JSONMap, patch: JSONMap): void {
  if (!Object.hasOwn(patch, retainKeysDirective)) return;
  const retain = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(retain)) throw smpErrors.badRetainKeys();
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!retain.includes(k)) throw smpErrors.badRetainKeys();
  }
  for (const k of Object.keys(original)) {
    if (!retain.includes(k)) delete original[k];
  }
}

/** $setElementOrder/<list>: merges the list (if patched) and puts it in the given order. */
function mergeOrderedLists(original: JSONMap, patch: JSONMap, schema: FieldType): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw smpErrors.badArgType('slice', order);
    const listKey = extractKey(key, setElementOrderPrefix);
    const foundOriginal = Object.hasOwn(original, listKey);
    const foundPatch = Object.hasOwn(patch, listKey);
    const originalList = foundOriginal ? asSlice(original[listKey]) : [];
    const patchList = foundPatch ? asSlice(patch[listKey]) : [];
    const field = schema.field(listKey);
    const mergeKey = field.patchMergeKey();
    otherStrategy(field);
    validateSetOrder(patchList, order, mergeKey);
    let merged: unknown[];
    if (foundOriginal && foundPatch) merged = mergeSlice(originalList, patchList, field.item(), mergeKey, false, mergeMap);
    else if (foundOriginal) merged = originalList;
    else if (foundPatch) merged = removeDirectives(patchList)[0] as unknown[];
    else continue;
    const [patchItems, serverOnly] = partition(merged, order, mergeKey);
    const kind = sliceElementKind(originalList, patchList);
    original[listKey] = normalizeElementOrder(patchItems, serverOnly, order, originalList, mergeKey, kind);
    delete patch[listKey];
  }
}

function asSlice(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw smpErrors.badArgType('slice', v);
  return v;
}

/** The items of the patch list (deletions aside) must appear in the order list, in its order. */
function validateSetOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isMap(v) && v[directiveMarker] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isMap(item) && Object.hasOwn(item, directiveMarker)) {
      p++;
      continue;
    }
    if (keyOf(item, mergeKey) === keyOf(order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw smpErrors.other(`The order in patch list:\n${goValue(patchList)}\n doesn't match ${setElementOrderPrefix} list:\n${goValue(order)}\n`);
  }
}

function keyOf(item: unknown, mergeKey: string): unknown {
  if (!mergeKey) return item;
  if (!isMap(item)) throw smpErrors.badArgType('map', item);
  if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
  return item[mergeKey];
}

/** Drops `$patch` maps and the members that hold them; returns [value, keep]. */
function removeDirectives(obj: unknown): [unknown, boolean] {
  if (isMap(obj)) {
    if (Object.hasOwn(obj, directiveMarker)) return [null, false];
    for (const [k, v] of Object.entries(obj)) {
      const [value, keep] = removeDirectives(v);
      if (keep) obj[k] = value;
      else delete obj[k];
    }
    return [obj, true];
  }
  if (Array.isArray(obj)) {
    const out: unknown[] = [];
    for (const v of obj) {
      const [value, keep] = removeDirectives(v);
      if (keep) out.push(value);
    }
    return [out, true];
  }
  return [obj, true];
}

function discardNulls(v: unknown): void {
  if (Array.isArray(v)) v.forEach(discardNulls);
  else if (isMap(v)) {
    for (const [k, child] of Object.entries(v)) {
      if (child === null) delete v[k];
      else discardNulls(child);
    }
  }
}
