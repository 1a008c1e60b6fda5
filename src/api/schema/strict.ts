// Strict decoding against the schemas, as kube-apiserver's JSON decoder (sigs.k8s.io/json) does
// it: unknown fields with their paths ("spec.containers[0].imagePullPolicyy") and JSON values of
// the wrong type, worded like Go's encoding/json UnmarshalTypeError.
import type { GroupVersionKind, Schema, SchemaSet } from './schema.ts';
import { refName } from './definitions.ts';

/** Every field of `object` the schema does not know, as the paths kube-apiserver prints. */
export function unknownFields(object: unknown, schema: Schema, set: SchemaSet): string[] {
  return inspect(object, schema, set).unknown;
}

/** Wrong JSON types, in document order; Kubernetes reports the first one. */
export function typeErrors(object: unknown, schema: Schema, set: SchemaSet): string[] {
  return inspect(object, schema, set).typeErrors;
}

/** Drops the fields `unknownFields` reports, as decoding into Kubernetes' Go types does. */
export function pruneUnknownFields(object: unknown, schema: Schema, set: SchemaSet): void {
  inspect(object, schema, set, true);
}

/** All three in one walk: what decoding reports (type errors, unknown fields), then pruned. */
export function decodeChecks(object: unknown, schema: Schema, set: SchemaSet): { typeErrors: string[]; unknown: string[] } {
  const found = inspect(object, schema, set, true);
  return { typeErrors: found.typeErrors, unknown: found.unknown };
}

/** The 400 message for unknown fields under fieldValidation=Strict. */
export function strictDecodingMessage(paths: string[]): string {
  return `strict decoding error: ${paths.map((p) => `unknown field ${JSON.stringify(p)}`).join(', ')}`;
}

/** The 400 message when a body cannot be decoded: `Pod in version "v1" cannot be handled as a Pod: json: …`. */
export function decodeErrorMessage(gvk: GroupVersionKind, error: string): string {
  return `${gvk.kind} in version "${gvk.version}" cannot be handled as a ${gvk.kind}: ${error}`;
}

function inspect(object: unknown, schema: Schema, set: SchemaSet, prune = false): Inspection {
  const found = new Inspection(set, prune);
  // A definition passed directly is the root Go struct, e.g. Pod in "Pod.spec".
  const root = definitionNames(set).get(schema);
  found.walk(object, schema, '', { struct: root ? goName(root) : '', fields: [] });
  return found;
}

const namesBySet = new WeakMap<SchemaSet, Map<Schema, string>>();

/** Definition name by schema object, built once per set (requests look it up on every decode). */
function definitionNames(set: SchemaSet): Map<Schema, string> {
  let names = namesBySet.get(set);
  if (!names) {
    names = new Map(Object.entries(set.definitions).map(([name, d]) => [d, name]));
    namesBySet.set(set, names);
  }
  return names;
}

/** Where encoding/json is: the Go struct holding the field and the JSON field names from the root. */
interface GoContext {
  struct: string;
  fields: string[];
}

const quantityName = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const quantityPattern = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const int32Range = 2 ** 31;

class Inspection {
  readonly unknown: string[] = [];
  readonly typeErrors: string[] = [];
  private readonly set: SchemaSet;
  private readonly prune: boolean;

  constructor(set: SchemaSet, prune: boolean) {
    this.set = set;
    this.prune = prune;
  }

  walk(value: unknown, schema: Schema | undefined, path: string, at: GoContext): void {
    const s = this.set.resolve(schema);
    if (!s || value === null || value === undefined || s['x-kubernetes-preserve-unknown-fields']) return;
    const definition = definitionOf(schema);
    if (s['x-kubernetes-int-or-string']) return this.custom(value, ['string', 'number'], 'json: cannot unmarshal %s into Go value of type int32');
    if (definition === quantityName) return this.quantity(value);
    if (s.format === 'date-time') return this.custom(value, ['string'], 'json: cannot unmarshal %s into Go value of type string');
    const got = jsonKind(value);
    if (s.type === 'array') {
      if (!Array.isArray(value)) return this.mismatch(got, `[]${goType(s.items, this.set)}`, at);
      value.forEach((item, i) => this.walk(item, s.items, `${path}[${i}]`, at));
    } else if (s.type === 'object' || s.properties) {
      if (got !== 'object') return this.mismatch(got, goType(schema, this.set), at);
      this.fields(value as Record<string, unknown>, s, path, definition ? { struct: goName(definition), fields: at.fields } : at);
    } else if (s.type === 'integer') {
      if (got !== 'number') return this.mismatch(got, s.format ?? 'int32', at);
      const n = value as number;
      if (!Number.isInteger(n) || (s.format !== 'int64' && (n >= int32Range || n < -int32Range))) this.mismatch(`number ${n}`, s.format ?? 'int32', at);
    } else if (s.type === 'number') {
      if (got !== 'number') this.mismatch(got, 'float64', at);
    } else if (s.type === 'string' || s.type === 'boolean') {
      const want = s.type === 'string' ? 'string' : 'bool';
      if (got !== want) this.mismatch(got, want, at);
    }
  }

  private fields(object: Record<string, unknown>, s: Schema, path: string, at: GoContext): void {
    const join = (key: string): string => (path ? `${path}.${key}` : key);
    if (s.properties) {
      for (const [key, v] of Object.entries(object)) {
        const property = s.properties[key];
        if (property) {
          this.walk(v, property, join(key), { struct: at.struct, fields: [...at.fields, key] });
          if (this.prune && omittedByGo(v, property, s.required?.includes(key) ?? false, this.set)) delete object[key];
        } else {
          this.unknown.push(join(key));
          if (this.prune) delete object[key];
        }
      }
    } else if (typeof s.additionalProperties === 'object') {
      // Map keys extend the strict path but not encoding/json's field path.
      for (const [key, v] of Object.entries(object)) this.walk(v, s.additionalProperties, join(key), at);
    }
    // An object without properties (RawExtension, FieldsV1) holds raw JSON: anything goes.
  }

  private mismatch(got: string, type: string, at: GoContext): void {
    this.typeErrors.push(at.fields.length > 0
      ? `json: cannot unmarshal ${got} into Go struct field ${at.struct}.${at.fields.join('.')} of type ${type}`
      : `json: cannot unmarshal ${got} into Go value of type ${type}`);
  }

  /** Types with their own UnmarshalJSON report without field context. */
  private custom(value: unknown, accepted: string[], template: string): void {
    const got = jsonKind(value);
    if (!accepted.includes(got)) this.typeErrors.push(template.replace('%s', got));
    else if (got === 'number' && template.endsWith('int32') && !Number.isInteger(value)) this.typeErrors.push(template.replace('%s', `number ${String(value)}`));
  }

  private quantity(value: unknown): void {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
    if (!quantityPattern.test(text)) this.typeErrors.push(`quantities must match the regular expression '${quantityPattern.source}'`);
  }
}

/**
 * What a round trip through Kubernetes' Go types drops: nulls, and empty lists and maps of
 * optional (omitempty) fields. Empty structs stay, as non-nil pointers do.
 */
function omittedByGo(value: unknown, property: Schema, required: boolean, set: SchemaSet): boolean {
  if (value === null) return true;
  if (required) return false;
  if (Array.isArray(value)) return value.length === 0;
  const s = set.resolve(property);
  return typeof value === 'object' && typeof s?.additionalProperties === 'object' && Object.keys(value as object).length === 0;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** The definition a schema names through $ref (directly or in a single allOf). */
function definitionOf(schema: Schema | undefined): string | undefined {
  const ref = schema?.$ref ?? (schema?.allOf?.length === 1 ? schema.allOf[0]!.$ref : undefined);
  return ref ? refName(ref) : undefined;
}

/** The Go type encoding/json names in its messages: v1.PodSpec, []v1.Container, map[string]string. */
function goType(schema: Schema | undefined, set: SchemaSet): string {
  const definition = definitionOf(schema);
  if (definition) return goName(definition, true);
  const s = set.resolve(schema);
  if (!s) return 'interface {}';
  if (s.type === 'array') return `[]${goType(s.items, set)}`;
  if (typeof s.additionalProperties === 'object') {
    const values = goType(s.additionalProperties, set);
    return values === 'resource.Quantity' ? 'v1.ResourceList' : `map[string]${values}`;
  }
  if (s.type === 'integer') return s.format ?? 'int32';
  if (s.type === 'number') return 'float64';
  if (s.type === 'boolean') return 'bool';
  return s.type ?? 'interface {}';
}

/** io.k8s.api.core.v1.PodSpec → PodSpec, or v1.PodSpec with its package. */
function goName(definition: string, qualified = false): string {
  const parts = definition.split('.');
  return qualified ? parts.slice(-2).join('.') : parts.at(-1)!;
}
