// The schema component's public face: the SchemaSet, definition names and strict decoding.
export type { GroupVersionKind, Schema, SchemaSet } from './schema.ts';
export { getSchemaSet, definitionName } from './schemaset.ts';
export { refTo, refName } from './definitions.ts';
export { unknownFields, typeErrors, pruneUnknownFields, strictDecodingMessage, decodeErrorMessage } from './strict.ts';
export { schemaChecks } from './checks.ts';
