// Resource arithmetic for scheduling: what a pod requests (the larger of its app containers'
// sum and any one init container, as the kubelet admits it) against a node's allocatable.
import type { Node, Pod, ResourceRequirements } from 'kubernetes-types/core/v1.d.ts';
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
  const apps = (pod.spec?.containers ?? []).map((c) => containerRequests(c.resources));
  const sum = apps.reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
  for (const init of pod.spec?.initContainers ?? []) {
    const r = containerRequests(init.resources);
    sum.cpu = Math.max(sum.cpu, r.cpu);
    sum.memory = Math.max(sum.memory, r.memory);
  }
  return sum;
}

export function sumRequests(pods: Pod[]): Requests {
  return pods.map(podRequests).reduce((a, b) => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory }), { cpu: 0, memory: 0 });
}

export function nodeAllocatable(node: Node): Allocatable {
  const a = node.status?.allocatable ?? node.status?.capacity ?? {};
  return { cpu: milli(a.cpu), memory: value(a.memory), pods: a.pods === undefined ? 110 : value(a.pods) };
}

/** kube-scheduler's LeastAllocated: the mean free fraction of cpu and memory after placing the pod, 0..100. */
export function leastAllocatedScore(pod: Pod, info: NodeInfo): number {
  const allocatable = nodeAllocatable(info.node);
  const used = sumRequests([...info.pods, pod]);
  const free = (cap: number, use: number) => (cap > 0 ? Math.max(0, (cap - use) / cap) : 0);
  return ((free(allocatable.cpu, used.cpu) + free(allocatable.memory, used.memory)) / 2) * 100;
}

function containerRequests(resources: ResourceRequirements | undefined): Requests {
  const r = resources?.requests ?? resources?.limits ?? {};
  return { cpu: milli(r.cpu), memory: value(r.memory) };
}

function milli(q: unknown): number {
  return q === undefined ? 0 : Number(Quantity.tryParse(q)?.milliValue() ?? 0);
}

function value(q: unknown): number {
  return q === undefined ? 0 : Number(Quantity.tryParse(q)?.value() ?? 0);
}
