// The schema checks the object codec runs on every decoded body, by kind, in one walk.
import type { DecodeFindings, SchemaChecks } from '../handlers/codec.ts';
import type { GroupVersionKind, SchemaSet } from './schema.ts';
import { decodeChecks, decodeErrorMessage } from './strict.ts';

export function schemaChecks(set: SchemaSet): SchemaChecks {
  return {
    check(obj: unknown, gvk: GroupVersionKind): DecodeFindings {
      const schema = set.forKind(gvk);
      if (!schema) return { unknownFields: [] };
      const { typeErrors, unknown } = decodeChecks(obj, schema, set);
      const first = typeErrors[0];
      return { typeError: first === undefined ? undefined : decodeErrorMessage(gvk, first), unknownFields: unknown };
    },
  };
}
