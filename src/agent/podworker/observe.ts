// What the runtime holds for one pod, found by the pod UID label: the state the worker acts on
// and the status is generated from. Newest sandbox first.
import type { ContainerStatus, PodSandboxStatus, Runtime } from '../runtime/runtime.ts';
import { podUidLabel } from '../kuberuntime/labels.ts';

export interface RuntimePod {
  uid: string;
  sandboxes: PodSandboxStatus[];
  containers: ContainerStatus[];
}

/** Only this pod's objects are read, so that a sync costs the same on a full node as on an empty one. */
export async function observePod(runtime: Runtime, uid: string): Promise<RuntimePod> {
  const labelSelector = { [podUidLabel]: uid };
  const [sandboxes, containers] = await Promise.all([runtime.listSandboxes({ labelSelector }), runtime.listContainers({ labelSelector })]);
  return { uid, sandboxes: sandboxes.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()), containers };
}

/** UIDs of every pod the runtime holds anything for: after a restart, what to adopt or clean up. */
export async function runtimePodUids(runtime: Runtime): Promise<Set<string>> {
  const [sandboxes, containers] = await Promise.all([runtime.listSandboxes(), runtime.listContainers()]);
  const uids = [...sandboxes, ...containers].map((o) => o.labels[podUidLabel]).filter((uid): uid is string => uid !== undefined);
  return new Set(uids);
}

export function readySandbox(pod: RuntimePod): PodSandboxStatus | undefined {
  const newest = pod.sandboxes[0];
  return newest?.state === 'ready' ? newest : undefined;
}

/** The newest container of each name, across the pod's sandboxes. */
export function latestContainers(pod: RuntimePod): Map<string, ContainerStatus> {
  const latest = new Map<string, ContainerStatus>();
  for (const c of pod.containers) {
    const seen = latest.get(c.metadata.name);
    if (seen === undefined || c.metadata.attempt > seen.metadata.attempt) latest.set(c.metadata.name, c);
  }
  return latest;
}
