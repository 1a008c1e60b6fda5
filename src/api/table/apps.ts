// Tables of the workloads: Deployment (READY as ready/desired, UP-TO-DATE, AVAILABLE) and
// ReplicaSet (DESIRED, CURRENT, READY); wide: containers, images and the selector.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';
import { SelectorError } from '../selectors/requirement.ts';
import { formatLabelSelector, labelSelectorString } from '../selectors/labelselector.ts';
import { ageColumn, column, docs, integer, nameColumn, wide } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { PrintedRow, Printer } from './types.ts';

const wideColumns = (selectorDoc: string) => [
  column('Containers', docs.containerNames, wide),
  column('Images', docs.containerImages, wide),
  column('Selector', selectorDoc, wide),
];

/** layoutContainerCells: names and images joined by commas. */
function containerCells(containers: readonly Container[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name).join(','), list.map((c) => c.image ?? '').join(',')];
}

function deploymentSelector(d: Deployment): string {
  try {
    return labelSelectorString(d.spec?.selector);
  } catch (err) {
    if (err instanceof SelectorError) return '<invalid>';
    throw err;
  }
}

function printDeployment(obj: KubeObject, now: Date): PrintedRow {
  const d = obj as Deployment;
  const status = d.status ?? {};
  return {
    cells: [
      d.metadata?.name ?? '',
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      translateTimestampSince(d.metadata?.creationTimestamp, now),
      ...containerCells(d.spec?.template?.spec?.containers),
      deploymentSelector(d),
    ],
  };
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    column('Ready', 'Number of the pod with ready state'),
    column('Up-to-date', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...wideColumns('Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.'),
  ],
  print: printDeployment,
};

function printReplicaSet(obj: KubeObject, now: Date): PrintedRow {
  const rs = obj as ReplicaSet;
  return {
    cells: [
      rs.metadata?.name ?? '',
      rs.spec?.replicas ?? 0,
      rs.status?.replicas ?? 0,
      rs.status?.readyReplicas ?? 0,
      translateTimestampSince(rs.metadata?.creationTimestamp, now),
      ...containerCells(rs.spec?.template?.spec?.containers),
      formatLabelSelector(rs.spec?.selector),
    ],
  };
}

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    column('Desired', 'Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', integer),
    column('Current', 'Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller', integer),
    column('Ready', 'The number of ready replicas for this replica set.', integer),
    ageColumn,
    ...wideColumns('Selector is a label query over pods that should match the replica count. If the selector is empty, it is defaulted to the labels present on the pod template. Label keys and values that must match in order to be controlled by this replica set. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
  ],
  print: printReplicaSet,
};
