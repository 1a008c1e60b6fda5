// POST on a collection: decode, admit, then the storage's create (defaults, validation, store).
import { errors } from '../errors.ts';
import { admitNamespace } from './admission.ts';
import { isDryRun, type RequestContext } from './context.ts';
import { updateTracker } from './fieldmanager.ts';

export async function create(ctx: RequestContext): Promise<void> {
  const { storage, request, query } = ctx;
  const info = storage.strategy.info;
  const obj = await ctx.codec.readObject(ctx.req, info, info.kind, query, ctx.warnings);
  const namespace = info.namespaced ? request.namespace : '';
  if (info.namespaced && obj.metadata?.namespace && obj.metadata.namespace !== namespace) {
    throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (info.namespaced) await admitNamespace(ctx.registry, namespace);
  const created = await storage.create(namespace, obj, { dryRun: isDryRun(query), warnings: ctx.warnings, track: updateTracker(ctx) });
  ctx.codec.sendObject(ctx.req, ctx.res, 201, created, query, ctx.warnings, ctx.registry.now());
}
