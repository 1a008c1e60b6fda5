// Turns the kubernetes-types declarations into OpenAPI definitions named as Kubernetes names
// them (io.k8s.api.core.v1.Pod), with the overlay's patch and list extensions and each kind's
// x-kubernetes-group-version-kind. Built once, on first use.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix } from 'node:path';
import type { GroupVersionKind, Schema } from './schema.ts';
import { parseDeclarationFile, type Declaration, type TypeExpr } from './dts.ts';
import { atomicStructs, fieldExtras, type FieldExtras } from './overlay.ts';

/** The declaration files peapod's served kinds live in; their imports are followed. */
const rootModules = ['core/v1', 'apps/v1', 'coordination/v1', 'autoscaling/v1', 'meta/v1'];

const intOrStringName = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const refPrefix = '#/components/schemas/';

/** Kubernetes' package for a kubernetes-types module path ("core/v1", "meta/v1", "api/resource"). */
export function packageOf(module: string): string {
  if (module === 'meta/v1') return 'io.k8s.apimachinery.pkg.apis.meta.v1';
  if (module === 'api/resource') return 'io.k8s.apimachinery.pkg.api.resource';
  if (module === 'runtime' || module === 'version') return `io.k8s.apimachinery.pkg.${module}`;
  if (module === 'apiextensions/v1') return 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
  return `io.k8s.api.${module.replaceAll('/', '.')}`;
}

/** The "#/components/schemas/…" reference to a definition. */
export function refTo(name: string): string {
  return refPrefix + name;
}

/** The definition name a $ref points at. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

export function buildDefinitions(): Record<string, Schema> {
  const root = dirname(createRequire(import.meta.url).resolve('kubernetes-types/package.json'));
  const definitions: Record<string, Schema> = { [intOrStringName]: intOrString() };
  const pending = [...rootModules];
  const loaded = new Set<string>();
  while (pending.length > 0) {
    const module = pending.pop()!;
    if (loaded.has(module)) continue;
    loaded.add(module);
    const file = parseDeclarationFile(readFileSync(join(root, `${module}.d.ts`), 'utf8'), `kubernetes-types/${module}.d.ts`);
    const names = new Map<string, string>();
    for (const [name, spec] of file.imports) {
      const target = posix.join(posix.dirname(module), spec);
      names.set(name, `${packageOf(target)}.${name}`);
      pending.push(target);
    }
    for (const d of file.declarations) names.set(d.name, `${packageOf(module)}.${d.name}`);
    for (const d of file.declarations) definitions[names.get(d.name)!] = toSchema(d, names.get(d.name)!, names);
  }
  addMetaKinds(definitions);
  return definitions;
}

function toSchema(d: Declaration, name: string, names: Map<string, string>): Schema {
  if (d.kind === 'alias') return { description: d.doc, ...typeSchema(d.type, names, undefined), ...aliasFormat(d.name) };
  const extras = fieldExtras[name] ?? {};
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const f of d.fields) {
    properties[f.name] = fieldSchema(f.type, f.doc, names, extras[f.name]);
    if (!f.optional) required.push(f.name);
  }
  // Empty interfaces (RawExtension, FieldsV1) hold raw JSON: an object without properties.
  const schema: Schema = d.fields.length > 0 ? { description: d.doc, type: 'object', properties } : { description: d.doc, type: 'object' };
  if (required.length > 0) schema.required = required;
  if (atomicStructs.has(name)) schema['x-kubernetes-map-type'] = 'atomic';
  const gvk = kindOf(d);
  if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
  return schema;
}

/** A field: references wrap in allOf so that the field keeps its own description, as Kubernetes does. */
function fieldSchema(type: TypeExpr, doc: string, names: Map<string, string>, extras: FieldExtras | undefined): Schema {
  const inner = typeSchema(type, names, extras);
  const schema: Schema = inner.$ref ? { description: doc, allOf: [inner] } : { description: doc, ...inner };
  if (!extras) return schema;
  if (extras.strategy) schema['x-kubernetes-patch-strategy'] = extras.strategy;
  if (extras.mergeKey) schema['x-kubernetes-patch-merge-key'] = extras.mergeKey;
  if (extras.listType) schema['x-kubernetes-list-type'] = extras.listType;
  if (extras.mapKeys) schema['x-kubernetes-list-map-keys'] = extras.mapKeys;
  if (extras.mapType) schema['x-kubernetes-map-type'] = extras.mapType;
  return schema;
}

function typeSchema(type: TypeExpr, names: Map<string, string>, extras: FieldExtras | undefined): Schema {
  switch (type.kind) {
    case 'primitive':
      if (type.name === 'number') return numberSchema(extras?.format);
      return { type: type.name };
    case 'literal':
      return { type: 'string' };
    case 'array':
      return { type: 'array', items: typeSchema(type.items, names, extras) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(type.values, names, extras) };
    case 'union':
      // The only unions in kubernetes-types are `number | string`: IntOrString fields.
      return { $ref: refTo(intOrStringName) };
    case 'ref': {
      const name = names.get(type.name);
      if (!name) throw new Error(`kubernetes-types: unknown type ${type.name}`);
      return { $ref: refTo(name) };
    }
  }
}

function numberSchema(format: FieldExtras['format']): Schema {
  if (format === 'double') return { type: 'number', format: 'double' };
  return { type: 'integer', format: format ?? 'int32' };
}

function aliasFormat(name: string): Schema {
  return name === 'Time' || name === 'MicroTime' ? { format: 'date-time' } : {};
}

/** GVK from the literal `apiVersion` and `kind` fields top-level kinds declare. */
function kindOf(d: Declaration & { kind: 'interface' }): GroupVersionKind | undefined {
  const literal = (field: string): string | undefined => {
    const t = d.fields.find((f) => f.name === field)?.type;
    return t?.kind === 'literal' ? t.value : undefined;
  };
  const apiVersion = literal('apiVersion');
  const kind = literal('kind');
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion, kind }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1), kind };
}

/** meta/v1 kinds are shared by every group; the ones peapod's API returns or accepts get their GVKs. */
function addMetaKinds(definitions: Record<string, Schema>): void {
  const everyGroup = [{ group: '', version: 'v1' }, { group: 'apps', version: 'v1' },
    { group: 'autoscaling', version: 'v1' }, { group: 'coordination.k8s.io', version: 'v1' }];
  const meta = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
  const set = (kind: string, gvs: { group: string; version: string }[]): void => {
    const d = definitions[meta + kind];
    if (d) d['x-kubernetes-group-version-kind'] = gvs.map((gv) => ({ ...gv, kind }));
  };
  set('DeleteOptions', everyGroup);
  set('WatchEvent', everyGroup);
  set('Status', [{ group: '', version: 'v1' }]);
  set('APIResourceList', [{ group: '', version: 'v1' }]);
  set('APIGroupList', [{ group: '', version: 'v1' }]);
}

function intOrString(): Schema {
  return {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
    'x-kubernetes-int-or-string': true,
  };
}
