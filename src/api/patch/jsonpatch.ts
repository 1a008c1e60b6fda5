// JSON patch (RFC 6902) as kube-apiserver applies it with evanphx/json-patch v4: the same
// operations, the same leniencies (replace of a missing object key adds it, negative array
// indices count from the end) and the same error texts, which kubectl prints verbatim.
//
//   patch body ─ decode (400 BadRequest) ─▶ ops, in order, on a copy ─ failure (422 Invalid)
import { ApiError, errors } from '../errors.ts';
import { isMap, jsonEqual, jsonKind } from './goformat.ts';

export interface JsonPatchOptions {
  /** kubectl sends Strict; the decode error names a different Go type in that mode. */
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
}

type Op = Record<string, unknown> | null;
type Container = Record<string, unknown> | unknown[];

/** Apply an RFC 6902 patch; `doc` is not modified. */
export function applyJsonPatch(doc: unknown, patch: unknown, options: JsonPatchOptions = {}): unknown {
  const ops = decodeOps(patch, options.fieldValidation ?? 'Strict');
  const root = { doc: structuredClone(doc) };
  for (const op of ops) {
    const failure = applyOp(root, op);
    if (failure) {
      throw new ApiError('Invalid', 422, 'the server rejected our request due to an error in our request', {
        causes: [{ reason: 'UnexpectedServerResponse', message: failure }],
      });
    }
  }
  return root.doc;
}

const maxOperations = 10000;

function decodeOps(patch: unknown, validation: string): Op[] {
  const strict = validation !== 'Ignore';
  const fail = (kind: string, type: string) => {
    const text = `json: cannot unmarshal ${kind} into Go ${type}`;
    return errors.badRequest(strict ? `error decoding patch: ${text}` : text);
  };
  if (patch === null) return [];
  if (!Array.isArray(patch)) throw fail(jsonKind(patch), strict ? 'value of type []handlers.jsonPatchOp' : 'value of type jsonpatch.Patch');
  for (const op of patch) {
    if (op !== null && !isMap(op)) throw fail(jsonKind(op), strict ? 'value of type handlers.jsonPatchOp' : 'value of type jsonpatch.Operation');
    if (!strict || op === null) continue;
    for (const name of ['op', 'path', 'from']) {
      const v = op[name];
      if (v !== undefined && v !== null && typeof v !== 'string') throw fail(jsonKind(v), `struct field jsonPatchOp.${name} of type string`);
    }
  }
  if (patch.length > maxOperations) {
    throw errors.tooLarge(`The allowed maximum operations in a JSON patch is ${maxOperations}, got ${patch.length}`);
  }
  return patch as Op[];
}

/** Runs one operation; returns the jsonpatch error text on failure. */
function applyOp(root: { doc: unknown }, op: Op): string | undefined {
  const kind = typeof op?.op === 'string' ? op.op : 'unknown';
  try {
    switch (kind) {
      case 'add':
        return add(root, op!);
      case 'remove':
        return remove(root, op!);
      case 'replace':
        return replace(root, op!);
      case 'move':
        return move(root, op!);
      case 'copy':
        return copy(root, op!);
      case 'test':
        return test(root, op!);
      default:
        return `Unexpected kind: ${kind}`;
    }
  } catch (err) {
    if (err instanceof PatchFailure) return err.message;
    throw err;
  }
}

class PatchFailure extends Error {}

const missing = 'missing value';

/** The "path" or "from" member; Go's decoder error when absent or not a string. */
function member(op: Record<string, unknown>, name: 'path' | 'from'): string | Error {
  const v = op[name];
  if (v === undefined || v === null) return new Error(name === 'path' ? `operation missing path field: ${missing}` : `operation, missing from field: ${missing}`);
  if (typeof v !== 'string') return new Error(`json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
  return v;
}

function value(op: Record<string, unknown>): unknown {
  return Object.hasOwn(op, 'value') ? structuredClone(op.value) : null;
}

/** The container holding the last token of `path`, or undefined when the path does not lead anywhere. */
function findObject(root: { doc: unknown }, path: string): { con: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let doc: unknown = root.doc;
  for (const part of split.slice(1, -1)) {
    if (!isContainer(doc)) return undefined;
    let next: unknown;
    try {
      next = get(doc, decodeToken(part));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null) return undefined;
    doc = next;
  }
  if (!isContainer(doc)) return undefined;
  return { con: doc, key: decodeToken(split[split.length - 1]!) };
}

function isContainer(v: unknown): v is Container {
  return Array.isArray(v) || isMap(v);
}

function decodeToken(token: string): string {
  return token.replace(/~1|~0/g, (m) => (m === '~1' ? '/' : '~'));
}

/** strconv.Atoi, with its error text. */
function atoi(key: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchFailure(`strconv.Atoi: parsing ${JSON.stringify(key)}: invalid syntax`);
  return Number(key);
}

function invalidIndex(idx: number): PatchFailure {
  return new PatchFailure(`Unable to access invalid index: ${idx}: invalid index referenced`);
}

/** A negative index counts from the end; below -length it is invalid. */
function fromEnd(idx: number, length: number): number {
  if (idx >= 0) return idx;
  if (idx < -length) throw invalidIndex(idx);
  return idx + length;
}

function get(con: Container, key: string): unknown {
  if (!Array.isArray(con)) return Object.hasOwn(con, key) ? con[key] : undefined;
  const idx = fromEnd(atoi(key), con.length);
  if (idx >= con.length) throw invalidIndex(idx);
  return con[idx];
}

function insert(con: Container, key: string, val: unknown): void {
  if (!Array.isArray(con)) {
    con[key] = val;
    return;
  }
  if (key === '-') {
    con.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (err) {
    throw new PatchFailure(`value was not a proper array index: '${key}': ${(err as Error).message}`);
  }
  if (idx >= con.length + 1) throw invalidIndex(idx);
  con.splice(fromEnd(idx, con.length + 1), 0, val);
}

function del(con: Container, key: string): void {
  if (!Array.isArray(con)) {
    if (!Object.hasOwn(con, key)) throw new PatchFailure(`Unable to remove nonexistent key: ${key}: ${missing}`);
    delete con[key];
    return;
  }
  const idx = atoi(key);
  if (idx >= con.length) throw invalidIndex(idx);
  con.splice(fromEnd(idx, con.length), 1);
}

/** Runs `step`, prefixing a failure the way the operation wraps it. */
function wrap(prefix: string, step: () => void): void {
  try {
    step();
  } catch (err) {
    if (err instanceof PatchFailure) throw new PatchFailure(`${prefix}: ${err.message}`);
    throw err;
  }
}

function add(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const path = member(op, 'path');
  if (path instanceof Error) return `add operation failed to decode path: ${missing}`;
  const target = findObject(root, path);
  if (!target) return `add operation does not apply: doc is missing path: "${path}": ${missing}`;
  wrap(`error in add for path: '${path}'`, () => insert(target.con, target.key, value(op)));
  return undefined;
}

function remove(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const path = member(op, 'path');
  if (path instanceof Error) return `remove operation failed to decode path: ${missing}`;
  const target = findObject(root, path);
  if (!target) return `remove operation does not apply: doc is missing path: "${path}": ${missing}`;
  wrap(`error in remove for path: '${path}'`, () => del(target.con, target.key));
  return undefined;
}

function replace(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const path = member(op, 'path');
  if (path instanceof Error) return `replace operation failed to decode path: ${path.message}`;
  if (path === '') {
    const val = value(op);
    if (!isContainer(val)) return 'replace operation value must be object or array: %!w(<nil>)';
    root.doc = val;
    return undefined;
  }
  const target = findObject(root, path);
  if (!target) return `replace operation does not apply: doc is missing path: ${path}: ${missing}`;
  try {
    get(target.con, target.key);
  } catch {
    return `replace operation does not apply: doc is missing key: ${path}: ${missing}`;
  }
  const { con, key } = target;
  if (Array.isArray(con)) con[fromEnd(atoi(key), con.length)] = value(op);
  else con[key] = value(op);
  return undefined;
}

function move(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const from = member(op, 'from');
  if (from instanceof Error) return `move operation failed to decode from: ${from.message}`;
  const source = findObject(root, from);
  if (!source) return `move operation does not apply: doc is missing from path: ${from}: ${missing}`;
  let val: unknown;
  wrap(`error in move for path: '${source.key}'`, () => {
    val = get(source.con, source.key);
    del(source.con, source.key);
  });
  const path = member(op, 'path');
  if (path instanceof Error) return `move operation failed to decode path: ${path.message}`;
  const target = findObject(root, path);
  if (!target) return `move operation does not apply: doc is missing destination path: ${path}: ${missing}`;
  wrap(`error in move for path: '${path}'`, () => insert(target.con, target.key, val ?? null));
  return undefined;
}

function copy(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const from = member(op, 'from');
  if (from instanceof Error) return `copy operation failed to decode from: ${from.message}`;
  const source = findObject(root, from);
  if (!source) return `copy operation does not apply: doc is missing from path: ${from}: ${missing}`;
  let val: unknown;
  wrap(`error in copy for from: '${from}'`, () => {
    val = get(source.con, source.key);
  });
  const path = member(op, 'path');
  if (path instanceof Error) return `copy operation failed to decode path: ${missing}`;
  const target = findObject(root, path);
  if (!target) return `copy operation does not apply: doc is missing destination path: ${path}: ${missing}`;
  wrap('error while adding value during copy', () => insert(target.con, target.key, structuredClone(val ?? null)));
  return undefined;
}

function test(root: { doc: unknown }, op: Record<string, unknown>): string | undefined {
  const path = member(op, 'path');
  if (path instanceof Error) return `test operation failed to decode path: ${path.message}`;
  const failed = `testing value ${path} failed: test failed`;
  const expected = Object.hasOwn(op, 'value') ? op.value : undefined;
  if (path === '') return jsonEqual(root.doc, expected) ? undefined : failed;
  const target = findObject(root, path);
  if (!target) return `test operation does not apply: is missing path: ${path}: ${missing}`;
  let actual: unknown;
  wrap(`error in test for path: '${path}'`, () => {
    actual = get(target.con, target.key);
  });
  // A missing or null member equals an absent or null value.
  if (actual === undefined || actual === null) return expected === undefined || expected === null ? undefined : failed;
  if (expected === undefined) return failed;
  return jsonEqual(actual, expected) ? undefined : failed;
}
