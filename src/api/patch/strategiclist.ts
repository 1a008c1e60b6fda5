// Lists in a strategic merge patch: merging item by item on the patch merge key, the $patch
// directives inside lists, and the ordering rules of apimachinery's strategicpatch — items
// named in the patch keep the patch's order, items only on the server keep theirs, and the two
// are interleaved by the server's order.
import type { FieldType } from './fieldtype.ts';
import { goValue, isMap } from './goformat.ts';
import { smpErrors } from './smperrors.ts';

export type JSONMap = Record<string, unknown>;
/** Merges one patch item into the matching server item (strategic.ts's mergeMap). */
export type MergeItem = (original: JSONMap, patch: JSONMap, schema: FieldType) => JSONMap;

const directiveMarker = '$patch';

/** Go's reflect type of a decoded JSON value, for "same type" checks. */
export function goKind(v: unknown): 'map' | 'slice' | 'string' | 'number' | 'bool' | 'nil' {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return 'slice';
  if (isMap(v)) return 'map';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return 'string';
}

/** The common element kind of some lists; lists of lists are refused. */
export function sliceElementKind(...slices: unknown[][]): ReturnType<typeof goKind> {
  let prev: ReturnType<typeof goKind> | undefined;
  for (const s of slices) {
    for (const v of s) {
      const kind = goKind(v);
      if (prev === undefined) {
        if (kind === 'slice') throw smpErrors.noListOfLists();
        prev = kind;
      } else if (prev !== kind) {
        throw smpErrors.other(`list element types are not identical: ${goValue(slices)}`);
      }
    }
  }
  if (prev === undefined) throw smpErrors.other('no elements in any of the given slices');
  return prev;
}

/** Merges a list with patch strategy "merge" (or applies a $deleteFromPrimitiveList list). */
export function mergeSlice(original: unknown[], patch: unknown[], schema: FieldType, mergeKey: string, isDeleteList: boolean, mergeItem: MergeItem): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = sliceElementKind(original, patch);
  let merged: unknown[];
  if (kind !== 'map') {
    if (isDeleteList) return original.filter((v) => !patch.includes(v));
    merged = deduplicateScalars([...original, ...patch]);
  } else {
    if (mergeKey === '') throw smpErrors.other('cannot merge lists without merge key for struct');
    [original, patch] = applySpecialElements(original as JSONMap[], patch as JSONMap[], mergeKey);
    merged = mergeItems(original as JSONMap[], patch as JSONMap[], mergeKey, schema, mergeItem);
  }
  const [patchItems, serverOnly] = partition(merged, patch, mergeKey);
  return normalizeElementOrder(patchItems, serverOnly, patch, original, mergeKey, kind);
}

/** Handles {$patch: delete|replace} items; returns the server list left and the plain patch items. */
function applySpecialElements(original: JSONMap[], patch: JSONMap[], mergeKey: string): [JSONMap[], JSONMap[]] {
  const plain: JSONMap[] = [];
  let replace = false;
  for (const item of patch) {
    if (!Object.hasOwn(item, directiveMarker)) {
      plain.push(item);
      continue;
    }
    const directive = item[directiveMarker];
    if (directive === 'delete') {
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
      original = original.filter((o) => !(isMap(o) && Object.hasOwn(o, mergeKey) && o[mergeKey] === item[mergeKey]));
    } else if (directive === 'replace') {
      replace = true;
    } else if (directive === 'merge') {
      throw smpErrors.other('merging lists cannot yet be specified in the patch');
    } else {
      throw smpErrors.badPatchType(directive, item);
    }
  }
  return replace ? [plain, []] : [original, plain];
}

function mergeItems(original: JSONMap[], patch: JSONMap[], mergeKey: string, schema: FieldType, mergeItem: MergeItem): unknown[] {
  const result: unknown[] = [...original];
  for (const item of patch) {
    if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
    // Items appended earlier are searched too: a repeated key merges into the first one.
    const at = findByKey(result, mergeKey, item[mergeKey]);
    if (at >= 0) result[at] = mergeItem(result[at] as JSONMap, item, schema);
    else result.push(item);
  }
  return result;
}

function findByKey(list: unknown[], mergeKey: string, value: unknown): number {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (!isMap(v)) throw smpErrors.other(`value for key ${i} is not a map`);
    if (Object.hasOwn(v, mergeKey) && v[mergeKey] === value) return i;
  }
  return -1;
}

/** strategicpatch's in-place deduplication (moves the last element into each duplicate's slot). */
function deduplicateScalars(s: unknown[]): unknown[] {
  let length = s.length - 1;
  for (let i = 0; i < length; i++) {
    for (let j = i + 1; j <= length; j++) {
      if (s[i] === s[j]) {
        s[j] = s[length];
        s.length = length;
        length--;
        j--;
      }
    }
  }
  return s;
}

/** Splits `items` into those named in `by` and those only on the server. */
export function partition(items: unknown[], by: unknown[], mergeKey: string): [unknown[], unknown[]] {
  const inPatch: unknown[] = [];
  const serverOnly: unknown[] = [];
  for (const v of items) {
    let found: boolean;
    if (mergeKey === '') {
      found = by.includes(v);
    } else {
      if (!isMap(v)) throw smpErrors.badArgType('map', v);
      if (!Object.hasOwn(v, mergeKey)) throw smpErrors.noMergeKey(v, mergeKey);
      found = findByKey(by, mergeKey, v[mergeKey]) >= 0;
    }
    (found ? inPatch : serverOnly).push(v);
  }
  return [inPatch, serverOnly];
}

/** Patch items in `patchOrder`, server-only items in `serverOrder`, then interleaved. */
export function normalizeElementOrder(patch: unknown[], serverOnly: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const sortedPatch = normalizeSliceOrder(patch, patchOrder, mergeKey, kind);
  const sortedServer = normalizeSliceOrder(serverOnly, serverOrder, mergeKey, kind);
  return mergeSortedSlice(sortedServer, sortedPatch, serverOrder, mergeKey, kind);
}

function indexOf(list: unknown[], item: unknown, mergeKey: string, kind: string): number {
  const valueOf = (v: unknown) => (kind === 'map' ? (isMap(v) ? v[mergeKey] : undefined) : v);
  const wanted = valueOf(item);
  return list.findIndex((v) => valueOf(v) === wanted);
}

function normalizeSliceOrder(toSort: unknown[], order: unknown[], mergeKey: string, kind: string): unknown[] {
  let toDelete: unknown[] = [];
  if (kind === 'map') {
    for (const item of [...toSort, ...order]) {
      if (!isMap(item)) throw smpErrors.badArgType('map', item);
      if (!Object.hasOwn(item, mergeKey)) throw smpErrors.noMergeKey(item, mergeKey);
    }
    toDelete = toSort.filter((v) => (v as JSONMap)[directiveMarker] === 'delete');
    toSort = toSort.filter((v) => (v as JSONMap)[directiveMarker] !== 'delete');
  }
  // Go's sort.SliceStable with strategicpatch's "less": an item missing from `order` sorts first.
  const sorted = [...toSort];
  const less = (a: unknown, b: unknown) => {
    const ia = indexOf(order, a, mergeKey, kind);
    const ib = indexOf(order, b, mergeKey, kind);
    return ia >= 0 && ib >= 0 ? ia < ib : true;
  };
  for (let i = 1; i < sorted.length; i++) {
    for (let j = i; j > 0 && less(sorted[j], sorted[j - 1]); j--) {
      [sorted[j - 1], sorted[j]] = [sorted[j]!, sorted[j - 1]!];
    }
  }
  return [...sorted, ...toDelete];
}

/** Inserts server-only items (`left`) among patch items (`right`) by their place on the server. */
function mergeSortedSlice(left: unknown[], right: unknown[], serverOrder: unknown[], mergeKey: string, kind: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}
