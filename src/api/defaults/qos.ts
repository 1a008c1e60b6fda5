// Pod QoS class (pkg/apis/core/helper/qos): Guaranteed when every container limits cpu and memory
// and requests equal limits; BestEffort when nothing is requested or limited; Burstable otherwise.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../quantity.ts';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

const qosResources = ['cpu', 'memory'];

function sumPositive(into: Map<string, Quantity>, list: Record<string, string> | undefined): Set<string> {
  const found = new Set<string>();
  for (const [name, raw] of Object.entries(list ?? {})) {
    if (!qosResources.includes(name)) continue;
    const q = Quantity.tryParse(raw);
    if (!q || q.sign() <= 0) continue;
    found.add(name);
    const prev = into.get(name);
    into.set(name, prev ? prev.add(q) : q);
  }
  return found;
}

/** ComputePodQOS over containers and init containers (ephemeral ones carry no resources). */
export function podQOSClass(pod: Pod): QOSClass {
  const requests = new Map<string, Quantity>();
  const limits = new Map<string, Quantity>();
  let guaranteed = true;
  for (const c of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    sumPositive(requests, c.resources?.requests);
    const limited = sumPositive(limits, c.resources?.limits);
    if (!qosResources.every((r) => limited.has(r))) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** GetPodQOS: the recorded class when there is one (it never changes), else computed. */
export function recordedQOSClass(pod: Pod): QOSClass {
  return (pod.status?.qosClass as QOSClass | undefined) || podQOSClass(pod);
}
