// OpenAPI v2 (swagger 2.0): one document for every group/version, derived from the v3 paths
// and the same definitions. kubectl 1.27/1.28 load it (as protobuf) for explain and validation.
import type { Schema } from '../schema/schema.ts';
import { getSchemaSet, refName } from '../schema/index.ts';
import { groupVersions } from '../registry/catalog.ts';
import { groupVersionPaths, type Method, type Operation, type Parameter } from './operations.ts';
import { kubernetesVersion, reachableDefinitions } from './v3.ts';

export interface V2Parameter {
  name: string;
  in: string;
  description?: string;
  required?: boolean;
  type?: string;
  uniqueItems?: boolean;
  schema?: Schema;
}

export interface V2Operation {
  description: string;
  consumes?: string[];
  produces: string[];
  schemes: string[];
  tags: string[];
  operationId: string;
  parameters?: V2Parameter[];
  responses: Record<string, { description: string; schema?: Schema }>;
  'x-kubernetes-action': string;
  'x-kubernetes-group-version-kind': Operation['x-kubernetes-group-version-kind'];
}

export type V2PathItem = { parameters: V2Parameter[] } & Partial<Record<Method, V2Operation>>;

export interface SwaggerDocument {
  swagger: string;
  info: { title: string; version: string };
  paths: Record<string, V2PathItem>;
  definitions: Record<string, Schema>;
}

export const methods: readonly Method[] = ['get', 'put', 'post', 'delete', 'patch'];

export function swaggerDocument(): SwaggerDocument {
  const paths: Record<string, V2PathItem> = {};
  for (const gv of groupVersions()) {
    for (const [path, item] of Object.entries(groupVersionPaths(gv.group, gv.version))) {
      const v2: V2PathItem = { parameters: item.parameters.map(v2Parameter) };
      for (const m of methods) if (item[m]) v2[m] = v2Operation(item[m]);
      paths[path] = v2;
    }
  }
  const set = getSchemaSet();
  const definitions: Record<string, Schema> = {};
  for (const name of reachableDefinitions(paths, set).sort()) definitions[name] = v2Definition(name, set.definitions[name]!);
  return { swagger: '2.0', info: { title: 'Kubernetes', version: kubernetesVersion }, paths, definitions };
}

function v2Parameter(p: Parameter): V2Parameter {
  const out: V2Parameter = { name: p.name, in: p.in, description: p.description, type: p.schema.type, uniqueItems: true };
  if (p.required) out.required = true;
  return out;
}

function v2Operation(op: Operation): V2Operation {
  const parameters = (op.parameters ?? []).map(v2Parameter);
  const out: V2Operation = { description: op.description, produces: [], schemes: ['https'], tags: op.tags,
    operationId: op.operationId, responses: {}, 'x-kubernetes-action': op['x-kubernetes-action'],
    'x-kubernetes-group-version-kind': op['x-kubernetes-group-version-kind'] };
  if (op.requestBody) {
    const content = Object.entries(op.requestBody.content);
    out.consumes = content.map(([type]) => type);
    parameters.unshift({ name: 'body', in: 'body', required: true, schema: v2Schema(content[0]![1].schema) });
  }
  const produces = new Set<string>();
  for (const [code, response] of Object.entries(op.responses)) {
    const content = Object.entries(response.content ?? {});
    for (const [type] of content) produces.add(type);
    out.responses[code] = content.length > 0
      ? { description: response.description, schema: v2Schema(content[0]![1].schema) }
      : { description: response.description };
  }
  out.produces = [...produces];
  if (parameters.length > 0) out.parameters = parameters;
  return out;
}

/** v2 has no oneOf and keeps $ref next to a description instead of wrapping it in allOf. */
function v2Definition(name: string, schema: Schema): Schema {
  if (name === 'io.k8s.apimachinery.pkg.util.intstr.IntOrString') return { description: schema.description, type: 'string', format: 'int-or-string' };
  if (name === 'io.k8s.apimachinery.pkg.api.resource.Quantity') return { description: schema.description, type: 'string' };
  return v2Schema(schema);
}

function v2Schema(schema: Schema): Schema {
  const { allOf, $ref, properties, items, additionalProperties, ...rest } = schema;
  const out: Schema = { ...rest };
  const ref = $ref ?? (allOf?.length === 1 ? allOf[0]!.$ref : undefined);
  if (ref) out.$ref = `#/definitions/${refName(ref)}`;
  if (properties) out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, v2Schema(v)]));
  if (items) out.items = v2Schema(items);
  if (additionalProperties !== undefined) {
    out.additionalProperties = typeof additionalProperties === 'object' ? v2Schema(additionalProperties) : additionalProperties;
  }
  return out;
}
