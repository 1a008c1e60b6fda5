// Node capacity and allocatable, as the kubelet's MachineInfo setter computes them:
// allocatable = capacity − reserved, where with no kube/system reservations the only reservation
// is the kubelet's default hard eviction thresholds (memory.available<100Mi,
// nodefs.available<10%). Quantities are written in the API server's canonical form, so what is
// reported compares equal to what is stored and an unchanged node causes no write.
import { canonicalQuantity } from '../../api/quantity.ts';
import type { MachineInfo } from './machine.ts';

export type ResourceList = Record<string, string>;

/** The kubelet's --max-pods default. */
export const defaultMaxPods = 110;

/** memory.available<100Mi. */
const memoryEvictionBytes = 100n * 1024n * 1024n;
/** nodefs.available<10%, a float32 in the kubelet's threshold type. */
const nodefsEvictionFraction = Math.fround(0.1);

/** Page sizes the kubelet reports on amd64 even when none are reserved. */
const hugePageSizes = ['hugepages-1Gi', 'hugepages-2Mi'];

export function nodeCapacity(machine: MachineInfo, maxPods = defaultMaxPods): ResourceList {
  const capacity: ResourceList = {
    cpu: String(machine.cpus),
    memory: binaryQuantity(machine.memoryBytes),
    pods: String(maxPods),
    'ephemeral-storage': binaryQuantity(machine.filesystemBytes),
  };
  for (const size of hugePageSizes) capacity[size] = '0';
  return capacity;
}

export function nodeAllocatable(machine: MachineInfo, capacity: ResourceList): ResourceList {
  const nodefsReserved = BigInt(Math.trunc(Number(machine.filesystemBytes) * nodefsEvictionFraction));
  return {
    ...capacity,
    memory: binaryQuantity(atLeastZero(machine.memoryBytes - memoryEvictionBytes)),
    'ephemeral-storage': binaryQuantity(atLeastZero(machine.filesystemBytes - nodefsReserved)),
  };
}

/** A byte count the way resource.NewQuantity(n, BinarySI) prints it, canonicalised by the server. */
function binaryQuantity(bytes: bigint): string {
  return canonicalQuantity(bytes % 1024n === 0n ? `${bytes / 1024n}Ki` : String(bytes));
}

function atLeastZero(n: bigint): bigint {
  return n < 0n ? 0n : n;
}
