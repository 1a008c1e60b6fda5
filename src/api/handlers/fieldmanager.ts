// Managed fields for ordinary writes: every create, update and patch records which fields its
// field manager set (metadata.managedFields, operation Update), so that a later server-side apply
// sees who owns what and reports conflicts, as kube-apiserver does.
import type { IncomingMessage } from 'node:http';
import { recordUpdate } from '../patch/managedfields.ts';
import { timestamp, type KubeObject } from '../registry/object.ts';
import { groupVersion } from '../registry/resource.ts';
import type { Track } from '../registry/storage.ts';
import type { RequestContext } from './context.ts';

export function updateTracker(ctx: RequestContext): Track | undefined {
  const info = ctx.storage.strategy.info;
  const schema = ctx.schemas.forKind({ group: info.group, version: info.version, kind: info.kind });
  if (!schema) return undefined;
  const manager = managerName(ctx.query, ctx.req);
  const subresource = ctx.request.subresource || undefined;
  return (before: KubeObject | undefined, after: KubeObject) =>
    recordUpdate(before, after, { manager, schema, set: ctx.schemas, now: timestamp(ctx.registry.now()), apiVersion: groupVersion(info), subresource });
}

/** The fieldManager parameter, else the client's name from its User-Agent ("kubectl/v1.32…" → "kubectl"). */
function managerName(query: URLSearchParams, req: IncomingMessage): string {
  const given = query.get('fieldManager');
  if (given) return given;
  return (req.headers['user-agent'] ?? 'unknown').split('/')[0] || 'unknown';
}
