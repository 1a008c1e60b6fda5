// The filter plugins: each says why a node cannot take a pod, in the words kube-scheduler uses
// for its "0/N nodes are available: …" message, or undefined when the node fits.
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.d.ts';
import { podRequests, nodeAllocatable, sumRequests } from './resources.ts';

export interface NodeInfo {
  node: Node;
  /** Pods bound to the node and not finished. */
  pods: Pod[];
}

export type Filter = (pod: Pod, info: NodeInfo) => string | undefined;

const nodeUnschedulable: Filter = (pod, { node }) => {
  if (!node.spec?.unschedulable) return undefined;
  const tolerated = (pod.spec?.tolerations ?? []).some((t) => t.key === 'node.kubernetes.io/unschedulable' && (t.operator === 'Exists' || !t.operator) && (!t.effect || t.effect === 'NoSchedule'));
  return tolerated ? undefined : 'node(s) were unschedulable';
};

const nodeReady: Filter = (pod, { node }) => {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (ready?.status === 'True') return undefined;
  const taint: Taint = { key: ready ? 'node.kubernetes.io/not-ready' : 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
  return tolerates(pod.spec?.tolerations ?? [], taint) ? undefined : `node(s) had untolerated taint {${taint.key}: }`;
};

const nodeSelector: Filter = (pod, { node }) => {
  const labels = node.metadata?.labels ?? {};
  const wanted = pod.spec?.nodeSelector ?? {};
  const fits = Object.entries(wanted).every(([k, v]) => labels[k] === v);
  return fits ? undefined : "node(s) didn't match Pod's node affinity/selector";
};

const taintToleration: Filter = (pod, { node }) => {
  const tolerations = pod.spec?.tolerations ?? [];
  const taint = (node.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tolerations, t));
  return taint ? `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` : undefined;
};

const resourcesFit: Filter = (pod, { node, pods }) => {
  const allocatable = nodeAllocatable(node);
  if (pods.length + 1 > allocatable.pods) return 'Too many pods';
  const used = sumRequests(pods);
  const wanted = podRequests(pod);
  if (wanted.cpu > 0 && used.cpu + wanted.cpu > allocatable.cpu) return 'Insufficient cpu';
  if (wanted.memory > 0 && used.memory + wanted.memory > allocatable.memory) return 'Insufficient memory';
  return undefined;
};

const hostPorts: Filter = (pod, { pods }) => {
  const used = new Set(pods.flatMap(portsOf));
  return portsOf(pod).some((p) => used.has(p)) ? "node(s) didn't have free ports for the requested pod ports" : undefined;
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

/** In kube-scheduler's order; the first reason a node fails is the one counted. */
export const filters: readonly Filter[] = [nodeUnschedulable, nodeReady, nodeSelector, taintToleration, resourcesFit, hostPorts];

export function firstFailure(pod: Pod, info: NodeInfo): string | undefined {
  for (const filter of filters) {
    const reason = filter(pod, info);
    if (reason) return reason;
  }
  return undefined;
}

/** "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match …. preemption: …" */
export function unschedulableMessage(total: number, reasons: string[]): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
