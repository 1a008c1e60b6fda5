// The one SchemaSet of peapod, built lazily from kubernetes-types on first use and cached.
import type { GroupVersionKind, Schema, SchemaSet } from './schema.ts';
import { buildDefinitions, packageOf, refName } from './definitions.ts';

let cached: SchemaSet | undefined;

export function getSchemaSet(): SchemaSet {
  cached ??= newSchemaSet(buildDefinitions());
  return cached;
}

/** The definition name for a kind: { group: '', version: 'v1', kind: 'Pod' } → io.k8s.api.core.v1.Pod. */
export function definitionName(gvk: GroupVersionKind): string {
  const found = kindIndex(getSchemaSet()).get(gvkKey(gvk));
  if (found) return found;
  const group = gvk.group === '' ? 'core' : gvk.group.split('.')[0]!;
  return `${packageOf(`${group}/${gvk.version}`)}.${gvk.kind}`;
}

const indexes = new WeakMap<SchemaSet, Map<string, string>>();

function kindIndex(set: SchemaSet): Map<string, string> {
  let index = indexes.get(set);
  if (!index) {
    index = new Map();
    for (const [name, d] of Object.entries(set.definitions)) {
      for (const gvk of d['x-kubernetes-group-version-kind'] ?? []) {
        // The first definition claiming a GVK wins, so the meta kinds do not shadow real ones.
        if (!index.has(gvkKey(gvk))) index.set(gvkKey(gvk), name);
      }
    }
    indexes.set(set, index);
  }
  return index;
}

function gvkKey(gvk: GroupVersionKind): string {
  return `${gvk.group}/${gvk.version}/${gvk.kind}`;
}

export function newSchemaSet(definitions: Record<string, Schema>): SchemaSet {
  const set: SchemaSet = {
    definitions,
    resolve(schema) {
      let s = schema;
      for (let depth = 0; s && depth < 8; depth++) {
        if (s.$ref) s = definitions[refName(s.$ref)];
        else if (s.allOf?.length === 1 && !s.type && !s.properties) s = s.allOf[0];
        else return s;
      }
      return s;
    },
    forKind(gvk) {
      const name = kindIndex(set).get(gvkKey(gvk));
      return name ? definitions[name] : undefined;
    },
  };
  return set;
}
