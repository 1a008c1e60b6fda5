// Nodes: allocatable defaults to capacity (SetDefaults_NodeStatus); quantities in canonical form.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import type { Writable } from '../registry/object.ts';
import { canonicalQuantity } from '../quantity.ts';

function canonical(list: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!list) return undefined;
  return Object.fromEntries(Object.entries(list).map(([k, v]) => [k, canonicalQuantity(String(v))]));
}

export function defaultNode(node: Node): void {
  const status = node.status as Writable<NonNullable<Node['status']>> | undefined;
  if (!status) return;
  if (status.capacity) status.capacity = canonical(status.capacity);
  if (status.allocatable) status.allocatable = canonical(status.allocatable);
  else if (status.capacity) status.allocatable = { ...status.capacity };
}
