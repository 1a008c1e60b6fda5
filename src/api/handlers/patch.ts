// PATCH: JSON patch, JSON merge patch, strategic merge patch, and server-side apply (which
// creates the object when it does not exist). Patches run inside a retrying read-modify-write.
import { errors } from '../errors.ts';
import { mediaType, readBody, decodeBody } from '../http/body.ts';
import { applyJsonPatch } from '../patch/jsonpatch.ts';
import { applyMergePatch } from '../patch/mergepatch.ts';
import { applyStrategicMergePatch } from '../patch/strategic.ts';
import { applyPatch, validateApplyOptions } from '../patch/apply.ts';
import { isObject, timestamp, type KubeObject } from '../registry/object.ts';
import { groupVersion } from '../registry/resource.ts';
import { admitNamespace } from './admission.ts';
import { fieldValidation } from './codec.ts';
import { isDryRun, type RequestContext } from './context.ts';
import { updateTracker } from './fieldmanager.ts';

const patchTypes = new Set([
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
]);

export async function patch(ctx: RequestContext): Promise<void> {
  const type = mediaType(ctx.req.headers['content-type']);
  if (!patchTypes.has(type)) throw errors.unsupportedMediaType(ctx.req.headers['content-type'] ?? '');
  const body = await readBody(ctx.req);
  const patchDoc = decodePatch(body, type);
  if (type === 'application/apply-patch+yaml') return serverSideApply(ctx, patchDoc);
  const { storage, request, query } = ctx;
  const gvk = { group: storage.strategy.info.group, version: storage.strategy.info.version, kind: storage.strategy.info.kind };
  const updated = await storage.guaranteedUpdate(request.namespace, request.name, request.subresource, (current) => {
    const patched = applyByType(ctx, type, current, patchDoc);
    ctx.codec.checkFields(patched, gvk, fieldValidation(query), ctx.warnings);
    return patched;
  }, { dryRun: isDryRun(query), warnings: ctx.warnings, track: updateTracker(ctx) });
  ctx.codec.sendObject(ctx.req, ctx.res, 200, updated, query, ctx.warnings, ctx.registry.now());
}

function decodePatch(body: Buffer, type: string): unknown {
  try {
    return decodeBody(body, type === 'application/apply-patch+yaml' ? type : 'application/json');
  } catch (err) {
    throw errors.badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function applyByType(ctx: RequestContext, type: string, current: KubeObject, patchDoc: unknown): KubeObject {
  let result: unknown;
  switch (type) {
    case 'application/json-patch+json':
      result = applyJsonPatch(current, patchDoc);
      break;
    case 'application/merge-patch+json':
      result = applyMergePatch(current, patchDoc);
      break;
    default:
      result = applyStrategicMergePatch(current, patchDoc, kindSchema(ctx), ctx.schemas);
  }
  if (!isObject(result)) throw errors.badRequest('the patch did not result in an object');
  return result as KubeObject;
}

function kindSchema(ctx: RequestContext) {
  const info = ctx.storage.strategy.info;
  const schema = ctx.schemas.forKind({ group: info.group, version: info.version, kind: info.kind });
  if (!schema) throw errors.internal(new Error(`no schema for ${info.kind}`));
  return schema;
}

async function serverSideApply(ctx: RequestContext, applied: unknown): Promise<void> {
  const { storage, request, query } = ctx;
  const info = storage.strategy.info;
  const manager = query.get('fieldManager') ?? '';
  validateApplyOptions(info.group, info.kind, request.name, manager);
  const force = query.get('force') === 'true';
  const obj = ctx.codec.decode(applied, info, info.kind, query, ctx.warnings);
  const options = { manager, force, schema: kindSchema(ctx), set: ctx.schemas, now: timestamp(ctx.registry.now()), apiVersion: groupVersion(info) };
  const dryRun = isDryRun(query);
  const existing = await storage.get(request.namespace, request.name).catch((err: { reason?: string }) => {
    if (err.reason === 'NotFound') return undefined;
    throw err;
  });
  if (!existing) {
    if (info.namespaced) await admitNamespace(ctx.registry, request.namespace);
    obj.metadata = { ...obj.metadata, name: obj.metadata?.name ?? request.name };
    const created = await storage.create(request.namespace, applyPatch(undefined, obj, options) as KubeObject, { dryRun, warnings: ctx.warnings });
    ctx.codec.sendObject(ctx.req, ctx.res, 201, created, query, ctx.warnings, ctx.registry.now());
    return;
  }
  const updated = await storage.guaranteedUpdate(request.namespace, request.name, request.subresource,
    (current) => applyPatch(current, obj, options) as KubeObject, { dryRun, warnings: ctx.warnings });
  ctx.codec.sendObject(ctx.req, ctx.res, 200, updated, query, ctx.warnings, ctx.registry.now());
}
