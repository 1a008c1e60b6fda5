// What a schema says about one field, in the words both merge flavours need: strategic merge
// patch reads the patch merge key and strategy; server-side apply reads whether maps and lists
// are atomic, sets or keyed lists. A field without a schema is "deduced" from its value the way
// structured-merge-diff treats unknown content: objects merge field by field, lists are atomic.
import type { Schema, SchemaSet } from '../schema/schema.ts';

export type ListRelationship = 'atomic' | 'set' | 'map';

export class FieldType {
  private readonly set: SchemaSet;
  /** The schema as written where the field is declared (carries the patch extensions). */
  private readonly declared: Schema | undefined;
  /** The same schema with $ref/allOf followed (carries properties, items). */
  private readonly resolved: Schema | undefined;

  constructor(set: SchemaSet, declared: Schema | undefined) {
    this.set = set;
    this.declared = declared;
    this.resolved = declared ? set.resolve(declared) : undefined;
  }

  /** True when nothing is known about the field. */
  get unknown(): boolean {
    return !this.resolved;
  }

  private extension<K extends keyof Schema>(name: K): Schema[K] | undefined {
    return this.declared?.[name] ?? this.resolved?.[name];
  }

  /** x-kubernetes-patch-merge-key, or '' when the field has none. */
  patchMergeKey(): string {
    return this.extension('x-kubernetes-patch-merge-key') ?? '';
  }

  /** x-kubernetes-patch-strategy split at commas, as strategicpatch reads it. */
  patchStrategies(): string[] {
    const s = this.extension('x-kubernetes-patch-strategy');
    return s ? s.split(',') : [];
  }

  /** The type of a member of this object: a declared property, else the map's value type. */
  field(name: string): FieldType {
    const r = this.resolved;
    const prop = r?.properties?.[name];
    if (prop) return new FieldType(this.set, prop);
    const additional = r?.additionalProperties;
    return new FieldType(this.set, typeof additional === 'object' ? additional : undefined);
  }

  /** Whether `name` is a declared property (a struct field) rather than a map key. */
  isNamedField(name: string): boolean {
    return Boolean(this.resolved?.properties && Object.hasOwn(this.resolved.properties, name));
  }

  /** Whether the field is a struct (declared properties) rather than a map or a scalar. */
  isStruct(): boolean {
    return Boolean(this.resolved?.properties);
  }

  /** Declared property names, and those the schema marks required (serialized even when empty). */
  propertyNames(): string[] {
    return Object.keys(this.resolved?.properties ?? {});
  }

  requiredNames(): string[] {
    return this.resolved?.required ?? [];
  }

  /** The type of a list's items. */
  item(): FieldType {
    return new FieldType(this.set, this.resolved?.items);
  }

  /** Whether an object is replaced as a whole by apply (x-kubernetes-map-type: atomic). */
  atomicMap(): boolean {
    return this.extension('x-kubernetes-map-type') === 'atomic';
  }

  /**
   * How apply treats a list: x-kubernetes-list-type when given, else what the patch strategy
   * implies (merge with a key: keyed list; merge without: set), else atomic.
   */
  listRelationship(): ListRelationship {
    const listType = this.extension('x-kubernetes-list-type');
    if (listType) return listType;
    if (this.patchStrategies().includes('merge')) return this.patchMergeKey() ? 'map' : 'set';
    return 'atomic';
  }

  /** The keys of a keyed list: x-kubernetes-list-map-keys, else the patch merge key. */
  listKeys(): string[] {
    const keys = this.extension('x-kubernetes-list-map-keys');
    if (keys?.length) return keys;
    const mergeKey = this.patchMergeKey();
    return mergeKey ? [mergeKey] : [];
  }

  /** The schema default of a list item's key field (protocol: TCP for container ports). */
  keyDefault(key: string): unknown {
    const prop = this.item().resolved?.properties?.[key];
    return prop ? (prop.default ?? this.set.resolve(prop)?.default) : undefined;
  }
}
