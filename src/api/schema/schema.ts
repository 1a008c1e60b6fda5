// The shape of peapod's object schemas: OpenAPI v3 schema objects with Kubernetes' extensions.
// One set of schemas serves OpenAPI v3/v2 (kubectl explain, validation discovery), strict
// decoding (unknown fields) and strategic merge patch (merge keys and strategies).

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  /** Map values (labels, data, resources.limits). */
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  /** A reference into the definitions: "#/components/schemas/io.k8s.api.core.v1.Container". */
  $ref?: string;
  allOf?: Schema[];
  'x-kubernetes-patch-merge-key'?: string;
  /** "merge", "retainKeys", "merge,retainKeys" or "replace". */
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
}

/** All definitions by name ("io.k8s.api.core.v1.Pod"), with helpers to follow $refs. */
export interface SchemaSet {
  definitions: Readonly<Record<string, Schema>>;
  /** The schema a $ref (or a plain schema) stands for; allOf with a single $ref is followed. */
  resolve(schema: Schema | undefined): Schema | undefined;
  /** The definition for a served kind, e.g. { group: '', version: 'v1', kind: 'Pod' }. */
  forKind(gvk: GroupVersionKind): Schema | undefined;
}
