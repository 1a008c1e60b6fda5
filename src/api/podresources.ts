// What a pod as a whole requests and is limited to (k8s.io/component-helpers/resource PodRequests
// and PodLimits), shared by the scheduler (requests against allocatable) and the node agent (the
// pod cgroup's values, the size of a memory emptyDir):
//
//   app containers and sidecars (init containers with restartPolicy Always) run together: summed
//   a regular init container runs alone, beside the sidecars started before it: the largest counts
//   overhead (spec.overhead) is added to requests, and to limits the pod already has
import type { Container, Pod, ResourceRequirements } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from './quantity.ts';

export type ResourceTotals = Map<string, Quantity>;

/** The pod's requests, resource by resource. */
export function podRequests(pod: Pod): ResourceTotals {
  const totals = aggregate(pod, (c) => c.resources?.requests);
  addInto(totals, pod.spec?.overhead);
  return totals;
}

/**
 * The pod's limits; `declared` tells whether every container (init containers too) limits a
 * resource, which decides whether the pod cgroup gets that limit at all.
 */
export function podLimits(pod: Pod): { limits: ResourceTotals; declared: (resource: string) => boolean } {
  const limits = aggregate(pod, (c) => c.resources?.limits);
  for (const [name, overhead] of Object.entries(pod.spec?.overhead ?? {})) {
    const limit = limits.get(name);
    const q = Quantity.tryParse(overhead);
    if (limit !== undefined && q !== undefined) limits.set(name, limit.add(q));
  }
  const containers = [...pod.spec?.initContainers ?? [], ...pod.spec?.containers ?? []];
  const declared = (resource: string): boolean => containers.every((c) => isPositive(c.resources, resource));
  return { limits, declared };
}

/** A total in millis (cpu), 0 when absent. */
export function milliValueOf(totals: ResourceTotals, name: string): number {
  return totals.get(name)?.milliValue() ?? 0;
}

/** A total as an integer (bytes, counts), 0 when absent. */
export function valueOf(totals: ResourceTotals, name: string): number {
  return totals.get(name)?.value() ?? 0;
}

function aggregate(pod: Pod, listOf: (c: Container) => Record<string, unknown> | undefined): ResourceTotals {
  const running: ResourceTotals = new Map();
  for (const c of pod.spec?.containers ?? []) addInto(running, listOf(c));
  const sidecars: ResourceTotals = new Map();
  const largestInit: ResourceTotals = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    if (c.restartPolicy === 'Always') {
      addInto(running, listOf(c));
      addInto(sidecars, listOf(c));
      maxInto(largestInit, sidecars);
    } else {
      const whileRunning = new Map(sidecars);
      addInto(whileRunning, listOf(c));
      maxInto(largestInit, whileRunning);
    }
  }
  maxInto(running, largestInit);
  return running;
}

function addInto(totals: ResourceTotals, list: Record<string, unknown> | undefined): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = Quantity.tryParse(raw);
    if (q === undefined) continue;
    const current = totals.get(name);
    totals.set(name, current === undefined ? q : current.add(q));
  }
}

function maxInto(totals: ResourceTotals, other: ResourceTotals): void {
  for (const [name, q] of other) {
    const current = totals.get(name);
    if (current === undefined || q.cmp(current) > 0) totals.set(name, q);
  }
}

function isPositive(resources: ResourceRequirements | undefined, name: string): boolean {
  return (Quantity.tryParse(resources?.limits?.[name])?.sign() ?? 0) > 0;
}
