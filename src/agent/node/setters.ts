// The node status the agent reports, built the way the kubelet's nodestatus setters run in
// order: addresses, machine info (capacity, allocatable, nodeInfo ids), version info, daemon
// endpoints, then the conditions. Pure: the same facts and health give the same status.
import type { NodeStatus } from 'kubernetes-types/core/v1.d.ts';
import { versionInfo } from '../../api/discovery/version.ts';
import { nodeAllocatable, nodeCapacity } from './capacity.ts';
import { setNodeConditions, type NodeHealth, type RecordStatusEvent } from './conditions.ts';
import type { MachineInfo } from './machine.ts';

/** What the node is, fixed for the life of the agent. */
export interface NodeFacts {
  nodeName: string;
  address: string;
  kubeletPort: number;
  machine: MachineInfo;
  runtimeVersion: string;
}

/** The kubelet reports its own version for both; kube-proxy is not a separate binary here. */
export const kubeletVersion = versionInfo().gitVersion;
/** GOOS and GOARCH words: "linux", "amd64". */
export const [operatingSystem, architecture] = versionInfo().platform.split('/') as [string, string];

export function setNodeStatus(current: NodeStatus | undefined, facts: NodeFacts, health: NodeHealth, now: string, record: RecordStatusEvent): NodeStatus {
  const capacity = nodeCapacity(facts.machine);
  const { machine } = facts;
  return {
    ...current,
    // Extended resources other writers added stay; ours are overwritten.
    capacity: { ...current?.capacity, ...capacity },
    allocatable: { ...current?.allocatable, ...nodeAllocatable(machine, capacity) },
    conditions: setNodeConditions(current?.conditions ?? [], health, now, record),
    addresses: [
      { type: 'InternalIP', address: facts.address },
      { type: 'Hostname', address: facts.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: facts.kubeletPort } },
    nodeInfo: {
      machineID: machine.machineID,
      systemUUID: machine.systemUUID,
      bootID: machine.bootID,
      kernelVersion: machine.kernelVersion,
      osImage: machine.osImage,
      containerRuntimeVersion: facts.runtimeVersion,
      kubeletVersion,
      kubeProxyVersion: kubeletVersion,
      operatingSystem,
      architecture,
    },
  };
}
