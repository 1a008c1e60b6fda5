// JSON merge patch (RFC 7386) as kube-apiserver applies it (evanphx/json-patch MergePatch):
// objects merge key by key, null deletes, anything else replaces. Nulls inside newly added
// objects are dropped, nulls inside arrays are kept.
import { errors } from '../errors.ts';
import { isMap } from './goformat.ts';

/** Apply an RFC 7386 patch; `doc` is not modified. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  // A null or scalar body is no merge patch at all; an array body replaces the document.
  if (patch === null || (!isMap(patch) && !Array.isArray(patch))) throw errors.badRequest('Invalid JSON Patch');
  const patchCopy = structuredClone(patch);
  if (!isMap(patchCopy)) return pruneNulls(patchCopy);
  if (!isMap(doc)) return pruneNulls(patchCopy);
  const result = structuredClone(doc);
  mergeInto(result, patchCopy);
  return result;
}

function mergeInto(doc: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete doc[key];
      continue;
    }
    const current = doc[key];
    if (isMap(current) && isMap(value)) mergeInto(current, value);
    // evanphx prunes a replacing value unless it replaces an object (a quirk kept on purpose).
    else doc[key] = isMap(current) ? value : pruneNulls(value);
  }
}

/** Drops null members of objects, at any depth; array elements stay even when null. */
function pruneNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    value.forEach(pruneNulls);
  } else if (isMap(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (v === null) delete value[k];
      else pruneNulls(v);
    }
  }
  return value;
}
