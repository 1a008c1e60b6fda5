// DELETE of one object (graceful for pods: 200 with the object marked for deletion) and of a
// collection (every object the selectors match, each deleted as if alone).
import { errors } from '../errors.ts';
import { readBody, decodeBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { isObject, type KubeObject } from '../registry/object.ts';
import { groupVersion } from '../registry/resource.ts';
import type { DeleteOptions } from '../registry/storage.ts';
import { isDryRun, type RequestContext } from './context.ts';
import { listObjects } from './list.ts';
import { selection } from './selection.ts';

export async function deleteOne(ctx: RequestContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const { object, deleted } = await ctx.storage.delete(ctx.request.namespace, ctx.request.name, options);
  if (!deleted || ctx.storage.strategy.returnDeletedObject) {
    ctx.codec.sendObject(ctx.req, ctx.res, 200, object, ctx.query, ctx.warnings, ctx.registry.now());
    return;
  }
  const info = ctx.storage.strategy.info;
  const details: Record<string, string> = { name: ctx.request.name, kind: info.resource, uid: object.metadata?.uid ?? '' };
  if (info.group) details.group = info.group;
  sendJson(ctx.res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
}

export async function deleteCollection(ctx: RequestContext): Promise<void> {
  const options = await deleteOptions(ctx);
  const info = ctx.storage.strategy.info;
  const page = await listObjects(ctx.storage, ctx.request.namespace, selection(info.kind, ctx.query), {});
  const items: KubeObject[] = [];
  for (const obj of page.items) {
    try {
      items.push((await ctx.storage.delete(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '', options)).object);
    } catch (err) {
      if ((err as { reason?: string }).reason !== 'NotFound') throw err;
    }
  }
  sendJson(ctx.res, 200, { kind: info.listKind, apiVersion: groupVersion(info), metadata: { resourceVersion: page.resourceVersion }, items });
}

/** DeleteOptions come in the body (kubectl) or the query (other clients). */
async function deleteOptions(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req);
  const fromBody = body.length ? decodeBody(body, ctx.req.headers['content-type']) : {};
  if (!isObject(fromBody)) throw errors.badRequest('DeleteOptions must be an object');
  const grace = fromBody.gracePeriodSeconds ?? numberParam(ctx.query.get('gracePeriodSeconds'));
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) {
    throw errors.badRequest(`invalid gracePeriodSeconds: ${JSON.stringify(grace)}`);
  }
  const preconditions = isObject(fromBody.preconditions) ? (fromBody.preconditions as DeleteOptions['preconditions']) : undefined;
  const dryRun = isDryRun(ctx.query) || (Array.isArray(fromBody.dryRun) && fromBody.dryRun.includes('All'));
  return { gracePeriodSeconds: grace as number | undefined, preconditions, dryRun };
}

function numberParam(value: string | null): number | undefined {
  return value === null ? undefined : Number(value);
}
