// pods/binding (and the bindings collection): the scheduler's write that assigns a pod to a
// node. Only an unassigned, live pod can be bound; the PodScheduled condition turns True.
import { errors } from '../errors.ts';
import { readBody, decodeBody } from '../http/body.ts';
import { sendJson } from '../http/respond.ts';
import { isObject, meta, timestamp, type KubeObject } from '../registry/object.ts';
import { setCondition } from '../registry/conditions.ts';
import type { RequestContext } from './context.ts';
import type { Binding } from 'kubernetes-types/core/v1.d.ts';
import { validatePodBinding } from '../validation/pod.ts';

export async function bind(ctx: RequestContext): Promise<void> {
  const body = decodeBody(await readBody(ctx.req), ctx.req.headers['content-type']);
  if (!isObject(body) || !isObject(body.target)) throw errors.badRequest('a Binding needs a target');
  const podName = ctx.request.name || (isObject(body.metadata) ? String(body.metadata.name ?? '') : '');
  const binding = body as unknown as Binding;
  const errs = validatePodBinding(binding);
  if (errs.length) throw errors.invalid('', 'Binding', podName, errs);
  const node = binding.target.name ?? '';
  const pods = ctx.registry.get('', 'pods');
  await pods.guaranteedUpdate(ctx.request.namespace, podName, 'binding', (pod) => assign(pod, node, ctx.registry.now()));
  sendJson(ctx.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

function assign(pod: KubeObject, node: string, now: Date): KubeObject {
  const m = meta(pod);
  const spec = (pod.spec ?? {}) as { nodeName?: string };
  if (m.deletionTimestamp) throw errors.conflict({ group: '', resource: 'pods' }, m.name ?? '', 'pod is being deleted, cannot be assigned to a host');
  if (spec.nodeName) {
    throw errors.conflict({ group: '', resource: 'pods' }, m.name ?? '', `pod ${m.name} is already assigned to node "${spec.nodeName}"`);
  }
  spec.nodeName = node;
  pod.spec = spec;
  setCondition(pod, { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp(now) });
  return pod;
}
