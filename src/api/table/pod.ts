// The Pod table: READY, STATUS (the kubelet's story of the pod in one word), RESTARTS with the
// age of the last restart, AGE; wide: IP, NODE, NOMINATED NODE, READINESS GATES.
//
// STATUS is decided in this order (as printPod does):
//   phase, or status.reason → SchedulingGated → init containers (Init:N/M, Init:<reason>,
//   Init:ExitCode:N) → app containers from last to first (waiting/terminated reasons) →
//   Completed-but-still-running → Terminating / Unknown (NodeLost) when being deleted.
import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { PrintedRow, Printer, TableRowCondition } from './types.ts';

const podDocs = {
  podIP: 'podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
  nodeName: 'NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName. Once this field is set, the kubelet for this node becomes responsible for the lifecycle of this pod. This field should not be used to express a desire for the pod to be scheduled on a specific node. https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename',
  nominatedNodeName: 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.',
  readinessGates: 'If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to "True" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates',
};

const columns = [
  nameColumn,
  column('Ready', 'The aggregate readiness state of this pod for accepting traffic.'),
  column('Status', 'The aggregate status of the containers in this pod.'),
  column('Restarts', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  ageColumn,
  column('IP', podDocs.podIP, wide),
  column('Node', podDocs.nodeName, wide),
  column('Nominated Node', podDocs.nominatedNodeName, wide),
  column('Readiness Gates', podDocs.readinessGates, wide),
];

const completed: Record<string, TableRowCondition[]> = {
  Succeeded: [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }],
  Failed: [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }],
};

/** Restart count and the newest last-termination time over some containers. */
interface Restarts {
  count: number;
  last: number;
}

function addRestarts(acc: Restarts, status: ContainerStatus): void {
  acc.count += status.restartCount ?? 0;
  const finished = status.lastState?.terminated?.finishedAt;
  const at = finished ? Date.parse(finished) : NaN;
  if (!Number.isNaN(at) && at > acc.last) acc.last = at;
}

const isRestartable = (c: Container | undefined) => c?.restartPolicy === 'Always';
const conditionTrue = (conditions: PodCondition[] | undefined, type: string) =>
  (conditions ?? []).some((c) => c.type === type && c.status === 'True');
/** The first condition of the type decides, as Kubernetes looks no further. */
const initializedTrue = (conditions: PodCondition[] | undefined) =>
  (conditions ?? []).find((c) => c.type === 'Initialized')?.status === 'True';

/** A terminated container without a reason is named by its signal or exit code. */
function terminatedReason(t: { reason?: string; signal?: number; exitCode: number }, prefix: string): string {
  if (t.reason) return prefix + t.reason;
  return t.signal ? `${prefix}Signal:${t.signal}` : `${prefix}ExitCode:${t.exitCode}`;
}

export function podSummary(pod: Pod): { ready: string; status: string; restarts: Restarts } {
  const spec = pod.spec;
  const status = pod.status ?? {};
  let reason = status.reason || status.phase || '';
  if ((status.conditions ?? []).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) reason = 'SchedulingGated';

  const initSpecs = new Map((spec?.initContainers ?? []).map((c) => [c.name, c]));
  const total = (spec?.containers ?? []).length + (spec?.initContainers ?? []).filter(isRestartable).length;
  let ready = 0;
  const all: Restarts = { count: 0, last: 0 };
  const sidecars: Restarts = { count: 0, last: 0 };

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    addRestarts(all, c);
    const restartable = isRestartable(initSpecs.get(c.name));
    if (restartable) addRestarts(sidecars, c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && terminated.exitCode === 0) continue;
    if (restartable && c.started) {
      if (c.ready) ready++;
      continue;
    }
    if (terminated) reason = terminatedReason(terminated, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${(spec?.initContainers ?? []).length}`;
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || initializedTrue(status.conditions)) {
    restarts = sidecars;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      addRestarts(restarts, c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated) reason = terminatedReason(terminated, '');
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(status.conditions, 'Ready') ? 'Running' : 'NotReady';
  }

  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }
  return { ready: `${ready}/${total}`, status: reason, restarts };
}

function readinessGates(pod: Pod): string {
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions = pod.status?.conditions ?? [];
  const trueGates = gates.filter((g) => conditions.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${trueGates}/${gates.length}`;
}

function printPod(obj: KubeObject, now: Date): PrintedRow {
  const pod = obj as Pod;
  const { ready, status, restarts } = podSummary(pod);
  const restartsCell = restarts.count !== 0 && restarts.last !== 0
    ? `${restarts.count} (${translateTimestampSince(new Date(restarts.last).toISOString(), now)} ago)`
    : String(restarts.count);
  const row: PrintedRow = {
    cells: [
      pod.metadata?.name ?? '',
      ready,
      status,
      restartsCell,
      translateTimestampSince(pod.metadata?.creationTimestamp, now),
      pod.status?.podIPs?.[0]?.ip || '<none>',
      pod.spec?.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      readinessGates(pod),
    ],
  };
  const conditions = completed[pod.status?.phase ?? ''];
  if (conditions) row.conditions = conditions;
  return row;
}

export const podPrinter: Printer = { columns, print: printPod };
