// The filter plugins, in kube-scheduler's order: each says why a node cannot take a pod, in the
// words kube-scheduler uses for its "0/N nodes are available: …" message, or undefined when the
// node fits. A failure is unresolvable when evicting pods could not help (kube-scheduler's
// UnschedulableAndUnresolvable): that decides the message's "preemption:" part.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.d.ts';
import { podRequests, nodeAllocatable, sumRequests } from './resources.ts';

export interface NodeInfo {
  node: Node;
  /** Pods bound to the node and not finished. */
  pods: Pod[];
}

export interface NodeFailure {
  /** One or more reasons, e.g. ["Insufficient cpu", "Insufficient memory"]. */
  reasons: string[];
  unresolvable: boolean;
}

export type Filter = (pod: Pod, info: NodeInfo) => NodeFailure | undefined;

const unresolvable = (reason: string): NodeFailure => ({ reasons: [reason], unresolvable: true });

const nodeUnschedulable: Filter = (pod, { node }) => {
  if (!node.spec?.unschedulable) return undefined;
  const tolerated = (pod.spec?.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable' && (t.operator === 'Exists' || !t.operator) && (!t.effect || t.effect === 'NoSchedule'));
  return tolerated ? undefined : unresolvable('node(s) were unschedulable');
};

/** A node that is not Ready carries the not-ready taint (the node lifecycle controller's), checked with the others. */
const taintToleration: Filter = (pod, { node }) => {
  const tolerations = pod.spec?.tolerations ?? [];
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const taints: Taint[] = [...(ready ? [] : [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]), ...node.spec?.taints ?? []];
  const taint = taints.find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  return taint ? unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`) : undefined;
};

const nodeSelector: Filter = (pod, { node }) => {
  const labels = node.metadata?.labels ?? {};
  const wanted = pod.spec?.nodeSelector ?? {};
  const fits = Object.entries(wanted).every(([k, v]) => labels[k] === v);
  return fits ? undefined : unresolvable("node(s) didn't match Pod's node affinity/selector");
};

const hostPorts: Filter = (pod, { pods }) => {
  const used = new Set(pods.flatMap(portsOf));
  const conflict = portsOf(pod).some((p) => used.has(p));
  return conflict ? { reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false } : undefined;
};

/** NodeResourcesFit: every resource short is a reason; evicting lower-priority pods could free them. */
const resourcesFit: Filter = (pod, { node, pods }) => {
  const allocatable = nodeAllocatable(node);
  const reasons: string[] = [];
  if (pods.length + 1 > allocatable.pods) reasons.push('Too many pods');
  const used = sumRequests(pods);
  const wanted = podRequests(pod);
  if (wanted.cpu > 0 && wanted.cpu > allocatable.cpu - used.cpu) reasons.push('Insufficient cpu');
  if (wanted.memory > 0 && wanted.memory > allocatable.memory - used.memory) reasons.push('Insufficient memory');
  return reasons.length > 0 ? { reasons, unresolvable: false } : undefined;
};

function portsOf(pod: Pod): string[] {
  return (pod.spec?.containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => p.hostPort).map((p) => `${p.protocol ?? 'TCP'}/${p.hostIP ?? '0.0.0.0'}/${p.hostPort}`));
}

export function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/** kube-scheduler 1.32's default order (NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit). */
export const filters: readonly Filter[] = [nodeUnschedulable, taintToleration, nodeSelector, hostPorts, resourcesFit];

/** The first filter a node fails is the one reported, as the scheduling framework stops there. */
export function firstFailure(pod: Pod, info: NodeInfo): NodeFailure | undefined {
  for (const filter of filters) {
    const failure = filter(pod, info);
    if (failure) return failure;
  }
  return undefined;
}

/**
 * "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match …. preemption: 0/3 nodes
 * are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for
 * scheduling." Pods here have no priority, so preemption never finds a victim.
 */
export function unschedulableMessage(total: number, failures: NodeFailure[]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const filtered = histogram(failures.flatMap((f) => f.reasons));
  const preemption = histogram(failures.map((f) => (f.unresolvable ? 'Preemption is not helpful for scheduling' : 'No preemption victims found for incoming pod')));
  return `0/${total} nodes are available: ${filtered}. preemption: 0/${total} nodes are available: ${preemption}.`;
}

/** "N reason" per distinct reason, sorted as strings (as kube-scheduler sorts them). */
function histogram(reasons: string[]): string {
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}
