// The scale subresource of Deployments and ReplicaSets: an autoscaling/v1 Scale view of
// spec.replicas (what `kubectl scale` reads and patches); writes go to the parent object.
import type { Scale } from 'kubernetes-types/autoscaling/v1.d.ts';
import type { LabelSelector } from 'kubernetes-types/meta/v1.d.ts';
import { errors } from '../errors.ts';
import { decodeBody, mediaType, readBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { applyJsonPatch } from '../patch/jsonpatch.ts';
import { applyMergePatch } from '../patch/mergepatch.ts';
import { labelSelectorString } from '../selectors/labelselector.ts';
import { validateScale } from '../validation/scale.ts';
import { isObject, type KubeObject } from '../registry/object.ts';
import { isDryRun, type RequestContext } from './context.ts';
import { updateTracker } from './fieldmanager.ts';

export async function scale(ctx: RequestContext): Promise<void> {
  const { storage, request } = ctx;
  if (request.verb === 'get') {
    sendJson(ctx.res, 200, toScale(await storage.get(request.namespace, request.name)));
    return;
  }
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  const type = mediaType(ctx.req.headers['content-type']);
  const updated = await storage.guaranteedUpdate(request.namespace, request.name, 'scale', (current) => {
    const wanted = request.verb === 'update' ? asScale(body) : patchScale(toScale(current), body, type);
    const errs = validateScale(wanted);
    if (errs.length) throw errors.invalid('autoscaling', 'Scale', request.name, errs);
    const precondition = wanted.metadata?.resourceVersion;
    if (precondition && precondition !== current.metadata?.resourceVersion) throw errors.conflict(storage.gr, request.name);
    current.spec = { ...(current.spec as object), replicas: wanted.spec?.replicas ?? 0 };
    return current;
  }, { dryRun: isDryRun(ctx.query), warnings: ctx.warnings, track: updateTracker(ctx) });
  sendJson(ctx.res, 200, toScale(updated));
}

function toScale(obj: KubeObject): Scale {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: LabelSelector };
  const status = (obj.status ?? {}) as { replicas?: number };
  const m = obj.metadata ?? {};
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: labelSelectorString(spec.selector) },
  };
}

function asScale(body: unknown): Scale {
  if (!isObject(body)) throw errors.badRequest('the body of a scale update must be a Scale object');
  return body as Scale;
}

function patchScale(current: Scale, patch: unknown, type: string): Scale {
  if (type === 'application/json-patch+json') return asScale(applyJsonPatch(current, patch));
  if (type === 'application/merge-patch+json' || type === 'application/strategic-merge-patch+json') return asScale(applyMergePatch(current, patch));
  throw errors.unsupportedMediaType(type);
}
