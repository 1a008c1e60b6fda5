// GET of one object (or of its status subresource, which is the same object).
import type { RequestContext } from './context.ts';

export async function get(ctx: RequestContext): Promise<void> {
  const obj = await ctx.storage.get(ctx.request.namespace, ctx.request.name);
  ctx.codec.sendObject(ctx.req, ctx.res, 200, obj, ctx.query, ctx.warnings, ctx.registry.now());
}
