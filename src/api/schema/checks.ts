// The schema checks the object codec runs on every decoded body, by kind.
import type { SchemaChecks } from '../handlers/codec.ts';
import type { GroupVersionKind, SchemaSet } from './schema.ts';
import { decodeErrorMessage, pruneUnknownFields, typeErrors, unknownFields } from './strict.ts';

export function schemaChecks(set: SchemaSet): SchemaChecks {
  return {
    unknownFields(obj: unknown, gvk: GroupVersionKind): string[] {
      const schema = set.forKind(gvk);
      return schema ? unknownFields(obj, schema, set) : [];
    },
    typeError(obj: unknown, gvk: GroupVersionKind): string | undefined {
      const schema = set.forKind(gvk);
      const first = schema ? typeErrors(obj, schema, set)[0] : undefined;
      return first === undefined ? undefined : decodeErrorMessage(gvk, first);
    },
    prune(obj: unknown, gvk: GroupVersionKind): void {
      const schema = set.forKind(gvk);
      if (schema) pruneUnknownFields(obj, schema, set);
    },
  };
}
