// OpenAPI v3: one document per group/version with its paths and the definitions they reach
// (components.schemas), as kube-apiserver serves under /openapi/v3/<api/v1|apis/G/V>.
import type { Schema, SchemaSet } from '../schema/schema.ts';
import { definitionName, getSchemaSet, refName, refTo } from '../schema/index.ts';
import { catalog, groupVersions } from '../registry/catalog.ts';
import { groupVersionPaths, type PathItem } from './operations.ts';

export interface OpenAPIV3Document {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, PathItem>;
  components: { schemas: Record<string, unknown> };
}

export const kubernetesVersion = 'v1.32.0';

/** Index keys of the group/versions with documents: "api/v1", "apis/apps/v1", … */
export function groupVersionKeys(): string[] {
  return documentedGroupVersions().map(keyOf);
}

const keyOf = (gv: { group: string; version: string }): string =>
  (gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`);

/** The served group/versions plus those only subresources use (autoscaling/v1 for Scale). */
function documentedGroupVersions(): { group: string; version: string }[] {
  const gvs = groupVersions();
  for (const r of catalog) {
    for (const sub of r.subresources) {
      const gv = { group: sub.group ?? r.group, version: sub.version ?? r.version };
      if (!gvs.some((g) => keyOf(g) === keyOf(gv))) gvs.push(gv);
    }
  }
  return gvs;
}

/** The document for an index key, or undefined when that group/version has none. */
export function groupVersionDocument(key: string): OpenAPIV3Document | undefined {
  const gv = documentedGroupVersions().find((g) => keyOf(g) === key);
  if (!gv) return undefined;
  const paths = groupVersionPaths(gv.group, gv.version);
  const set = getSchemaSet();
  // Kinds of this group/version that other groups' subresources return are described here too.
  const kinds = catalog.flatMap((r) => r.subresources).filter((s) => s.group === gv.group && s.version === gv.version)
    .map((s) => ({ $ref: refTo(definitionName({ group: gv.group, version: gv.version, kind: s.kind })) }));
  const schemas: Record<string, unknown> = {};
  for (const name of reachableDefinitions([paths, kinds], set).sort()) schemas[name] = v3Definition(name, set.definitions[name]!);
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths, components: { schemas } };
}

/** Every definition named by a $ref in `root`, following references through the definitions. */
export function reachableDefinitions(root: unknown, set: SchemaSet): string[] {
  const found = new Set<string>();
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) pending.push(...node);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string') {
          const name = refName(value);
          if (!found.has(name) && set.definitions[name]) {
            found.add(name);
            pending.push(set.definitions[name]);
          }
        } else if (typeof value === 'object') pending.push(value);
      }
    }
  }
  return [...found];
}

/** IntOrString and Quantity take two JSON types; v3 says so with oneOf, as Kubernetes does. */
function v3Definition(name: string, schema: Schema): unknown {
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') {
    return { description: schema.description, format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] };
  }
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') {
    return { description: schema.description, oneOf: [{ type: 'string' }, { type: 'number' }] };
  }
  return schema;
}
