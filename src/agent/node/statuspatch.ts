// Comparing and patching node status. "Changed" ignores condition heartbeat times, as the
// kubelet's nodeStatusHasChanged does, so a quiet node writes nothing between reports. The patch
// is a strategic merge patch of the fields that differ, with every condition (each carries a new
// heartbeat) merged by type and kept in order by $setElementOrder, as CreateTwoWayMergePatch
// would produce for the kubelet's PatchNodeStatus.
import { isDeepStrictEqual } from 'node:util';
import type { Node, NodeCondition, NodeStatus } from 'kubernetes-types/core/v1.d.ts';

export function statusChanged(old: NodeStatus | undefined, next: NodeStatus): boolean {
  return !isDeepStrictEqual(withoutHeartbeats(old ?? {}), withoutHeartbeats(next));
}

export function statusPatch(old: NodeStatus | undefined, next: NodeStatus): { status: Record<string, unknown> } {
  const before = (old ?? {}) as Record<string, unknown>;
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next) as [string, unknown][]) {
    if (key === 'conditions' || isDeepStrictEqual(before[key], value)) continue;
    patch[key] = key === 'capacity' || key === 'allocatable' ? mapPatch(before[key] as Record<string, string> | undefined, value as Record<string, string>) : value;
  }
  const conditions = next.conditions ?? [];
  if (conditions.length) {
    patch['$setElementOrder/conditions'] = conditions.map((c) => ({ type: c.type }));
    patch.conditions = conditions;
  }
  return { status: patch };
}

/** The newer of two copies of one Node by resourceVersion (store revisions, so numeric). */
export function newerNode(a: Node, b: Node): Node {
  const ra = Number(a.metadata?.resourceVersion ?? 0);
  const rb = Number(b.metadata?.resourceVersion ?? 0);
  return rb >= ra ? b : a;
}

/** Changed keys with their value, removed keys as null (a merge patch's delete). */
function mapPatch(old: Record<string, string> | undefined, next: Record<string, string>): Record<string, string | null> {
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(next)) if (old?.[k] !== v) patch[k] = v;
  for (const k of Object.keys(old ?? {})) if (!(k in next)) patch[k] = null;
  return patch;
}

function withoutHeartbeats(status: NodeStatus): NodeStatus {
  const conditions = status.conditions?.map(({ lastHeartbeatTime: _, ...rest }): NodeCondition => rest);
  return conditions ? { ...status, conditions } : status;
}
