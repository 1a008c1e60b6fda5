// Decoding request bodies into objects of the addressed kind (with field validation as the
// fieldValidation parameter asks) and encoding responses as JSON or as a meta.k8s.io/v1 Table.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors } from '../errors.ts';
import { decodeBody, readBody, SyntaxErrorBody } from '../http/body.ts';
import { includeObjectParam, wantsTable, type IncludeObject } from '../http/negotiate.ts';
import { sendJson, warningHeader } from '../http/respond.ts';
import { isObject, type KubeObject } from '../registry/object.ts';
import { groupVersion, type ResourceInfo } from '../registry/resource.ts';
import type { GroupVersionKind } from '../schema/schema.ts';
import { decodeErrorMessage, strictDecodingMessage } from '../schema/strict.ts';

export interface DecodeFindings {
  /** A decoding error for values of the wrong JSON type, as kube-apiserver words it. */
  typeError?: string;
  /** Paths of fields the kind does not have, as "spec.containers[0].foo". */
  unknownFields: string[];
}

/** What the codec needs from the schemas. */
export interface SchemaChecks {
  /** Finds what decoding into Kubernetes' types reports, and drops unknown fields as it does. */
  check(obj: unknown, gvk: GroupVersionKind): DecodeFindings;
}

export interface TableOptions {
  includeObject: IncludeObject;
  now: Date;
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  omitColumnDefinitions?: boolean;
}

export interface TablePrinter {
  toTable(kind: string, objects: KubeObject[], options: TableOptions): unknown;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export function fieldValidation(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation') ?? 'Warn';
  if (value !== 'Strict' && value !== 'Warn' && value !== 'Ignore') {
    throw errors.badRequest(`fieldValidation parameter unsupported: ${value}. Must be one of: Ignore, Warn, Strict`);
  }
  return value;
}

export class ObjectCodec {
  private readonly schemas: SchemaChecks;
  private readonly tables: TablePrinter;

  constructor(schemas: SchemaChecks, tables: TablePrinter) {
    this.schemas = schemas;
    this.tables = tables;
  }

  async readObject(req: IncomingMessage, info: ResourceInfo, kind: string, query: URLSearchParams, warnings: string[]): Promise<KubeObject> {
    const body = await readBody(req);
    let value: unknown;
    try {
      value = decodeBody(body, req.headers['content-type']);
    } catch (err) {
      if (!(err instanceof SyntaxErrorBody)) throw err;
      // kube-apiserver's transformDecodeError: the error and the first 30 bytes of the body.
      const summary = err.body.length > 30 ? `${err.body.slice(0, 30)} ...` : err.body;
      throw errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): couldn't get version/kind; json parse error: ${err.message} (${summary})`);
    }
    return this.decode(value, info, kind, query, warnings);
  }

  /** Checks apiVersion/kind against the endpoint, then applies field validation. */
  decode(value: unknown, info: ResourceInfo, kind: string, query: URLSearchParams, warnings: string[]): KubeObject {
    if (!isObject(value)) throw errors.badRequest(`Object 'Kind' is missing in '${JSON.stringify(value)}'`);
    const obj = value as KubeObject;
    const gv = kind === info.kind ? groupVersion(info) : undefined;
    if (gv && obj.apiVersion !== undefined && obj.apiVersion !== gv) {
      throw errors.badRequest(`the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`);
    }
    if (obj.kind !== undefined && obj.kind !== kind) {
      throw errors.badRequest(`the kind in the data (${String(obj.kind)}) does not match the expected kind (${kind})`);
    }
    const gvk = { group: info.group, version: info.version, kind };
    obj.apiVersion ??= gv;
    obj.kind ??= kind;
    this.checkFields(obj, gvk, fieldValidation(query), warnings);
    return obj;
  }

  checkFields(obj: KubeObject, gvk: GroupVersionKind, mode: FieldValidation, warnings: string[]): void {
    const { typeError, unknownFields } = this.schemas.check(obj, gvk);
    if (typeError) throw errors.badRequest(typeError);
    if (mode === 'Ignore') return;
    if (unknownFields.length && mode === 'Strict') {
      throw errors.badRequest(decodeErrorMessage(gvk, strictDecodingMessage(unknownFields)));
    }
    for (const f of unknownFields) warnings.push(`unknown field "${f}"`);
  }

  /** Sends one object, or a one-row Table when the client asked for tables. */
  sendObject(req: IncomingMessage, res: ServerResponse, status: number, obj: KubeObject, query: URLSearchParams, warnings: string[], now: Date): void {
    const body = wantsTable(req.headers.accept) && obj.kind !== 'Status'
      ? this.tables.toTable(obj.kind ?? '', [obj], { includeObject: includeObjectParam(query.get('includeObject')), now, listMeta: { resourceVersion: obj.metadata?.resourceVersion } })
      : obj;
    sendJson(res, status, body, warningHeaders(warnings));
  }

  table(kind: string, objects: KubeObject[], options: TableOptions): unknown {
    return this.tables.toTable(kind, objects, options);
  }
}

export function warningHeaders(warnings: string[]): Record<string, string> {
  return warnings.length ? { Warning: warnings.map(warningHeader).join(', ') } : {};
}
