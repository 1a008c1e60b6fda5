// The Node table: STATUS from the Ready condition (plus SchedulingDisabled when cordoned), ROLES
// from node-role.kubernetes.io/<role> and kubernetes.io/role labels, AGE, VERSION; wide:
// addresses and the node's system info.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';
import { ageColumn, column, nameColumn, wide } from './columns.ts';
import { translateTimestampSince } from './duration.ts';
import type { PrintedRow, Printer } from './types.ts';

const addressesDoc = "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).";

const columns = [
  nameColumn,
  column('Status', 'The status of the node'),
  column('Roles', 'The roles of the node'),
  ageColumn,
  column('Version', 'Kubelet Version reported by the node.'),
  column('Internal-IP', addressesDoc, wide),
  column('External-IP', addressesDoc, wide),
  column('OS-Image', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', wide),
  column('Kernel-Version', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", wide),
  column('Container-Runtime', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', wide),
];

const rolePrefix = 'node-role.kubernetes.io/';

function nodeStatus(node: Node): string {
  // The last Ready condition wins, as Kubernetes keeps them in a map by type.
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === 'Ready').at(-1);
  const status = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (node.spec?.unschedulable) status.push('SchedulingDisabled');
  return status.join(',');
}

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(node.metadata?.labels ?? {})) {
    if (key.startsWith(rolePrefix)) {
      const role = key.slice(rolePrefix.length);
      if (role) roles.add(role);
    } else if (key === 'kubernetes.io/role' && value) {
      roles.add(value);
    }
  }
  return [...roles].sort().join(',') || '<none>';
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

function printNode(obj: KubeObject, now: Date): PrintedRow {
  const node = obj as Node;
  const info = node.status?.nodeInfo;
  return {
    cells: [
      node.metadata?.name ?? '',
      nodeStatus(node),
      nodeRoles(node),
      translateTimestampSince(node.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? '',
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      info?.osImage || '<unknown>',
      info?.kernelVersion || '<unknown>',
      info?.containerRuntimeVersion || '<unknown>',
    ],
  };
}

export const nodePrinter: Printer = { columns, print: printNode };
