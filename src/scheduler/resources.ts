// Resource arithmetic for scheduling: what a pod requests (api/podresources.ts: app containers and
// sidecars summed, the largest init container, overhead) against a node's allocatable.
import type { Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { milliValueOf, podRequests as requestTotals, valueOf } from '../api/podresources.ts';
import { Quantity } from '../api/quantity.ts';
import type { NodeInfo } from './filter.ts';

export interface Requests {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
}

export interface Allocatable extends Requests {
  pods: number;
}

export function podRequests(pod: Pod): Requests {
  const totals = requestTotals(pod);
  return { cpu: milliValueOf(totals, 'cpu'), memory: valueOf(totals, 'memory') };
}

export function sumRequests(pods: Pod[]): Requests {
  return pods.map(podRequests).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
}

export function nodeAllocatable(node: Node): Allocatable {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return { cpu: Quantity.milliOrZero(a.cpu), memory: Quantity.valueOrZero(a.memory), pods: a.pods === undefined ? 110 : Quantity.valueOrZero(a.pods) };
}

/** kube-scheduler's LeastAllocated: the mean free fraction of cpu and memory after placing the pod, 0..100. */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const allocatable = nodeAllocatable(info.node);
  const used = sumRequests([...info.pods, pod]);
  const free = (cap: number, use: number) => (cap > 0 ? Math.max(0, (cap - use) / cap) : 0);
  return ((free(allocatable.cpu, used.cpu) + free(allocatable.memory, used.memory)) / 2) * 100;
}
