// PUT of a whole object (or of its status subresource): 409 when resourceVersion is stale.
import { errors } from '../errors.ts';
import { admitNamespace } from './admission.ts';
import { isDryRun, type RequestContext } from './context.ts';
import { updateTracker } from './fieldmanager.ts';

export async function update(ctx: RequestContext): Promise<void> {
  const { storage, request, query } = ctx;
  const info = storage.strategy.info;
  const obj = await ctx.codec.readObject(ctx.req, info, info.kind, query, ctx.warnings);
  if (info.namespaced && obj.metadata?.namespace && obj.metadata.namespace !== request.namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (info.namespaced && storage.strategy.allowCreateOnUpdate) await admitNamespace(ctx.registry, request.namespace);
  const { object, created } = await storage.update(request.namespace, request.name, obj, request.subresource, { dryRun: isDryRun(query), warnings: ctx.warnings, track: updateTracker(ctx) });
  ctx.codec.sendObject(ctx.req, ctx.res, created ? 201 : 200, object, query, ctx.warnings, ctx.registry.now());
}
