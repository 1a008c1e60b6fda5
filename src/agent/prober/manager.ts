// The prober manager: one worker per container and kind of probe the pod's spec names (sidecars'
// included), started when the agent first syncs the pod and stopped when the pod ends. After each
// sync the pod worker hands it the status it generated: the workers probe the containers it shows,
// and a container that just started gets its readiness probed at once rather than a period later.
import type { Container, Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { isSidecar } from '../kuberuntime/labels.ts';
import type { ProbeKind } from './results.ts';
import { ProbeWorker, type WorkerDeps } from './worker.ts';

const kinds: { kind: ProbeKind; field: 'livenessProbe' | 'readinessProbe' | 'startupProbe' }[] = [
  { kind: 'liveness', field: 'livenessProbe' }, { kind: 'readiness', field: 'readinessProbe' }, { kind: 'startup', field: 'startupProbe' },
];

export class ProberManager {
  private readonly deps: WorkerDeps;
  private readonly workers = new Map<string, ProbeWorker[]>();

  constructor(deps: WorkerDeps) {
    this.deps = deps;
  }

  /** Starts the pod's workers on first sight; gives every worker the status just generated. */
  update(pod: Pod, status: PodStatus): void {
    const uid = pod.metadata?.uid ?? '';
    let workers = this.workers.get(uid);
    if (workers === undefined) {
      workers = probedContainers(pod).flatMap((container) => kinds.flatMap(({ kind, field }) => {
        const spec = container[field];
        return spec === undefined ? [] : [new ProbeWorker(this.deps, kind, pod, container, spec)];
      }));
      this.workers.set(uid, workers);
      for (const w of workers) w.start();
    }
    for (const w of workers) w.update(pod, status);
    const unready = [...status.initContainerStatuses ?? [], ...status.containerStatuses ?? []].filter((c) => c.started === true && !c.ready);
    for (const w of workers) if (w.kind === 'readiness' && unready.some((c) => w.probes(c.name))) w.trigger();
  }

  /** Stops the pod's workers and forgets their results. */
  async remove(podUid: string): Promise<void> {
    const workers = this.workers.get(podUid) ?? [];
    this.workers.delete(podUid);
    await Promise.all(workers.map((w) => w.stop()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.workers.keys()].map((uid) => this.remove(uid)));
  }
}

function probedContainers(pod: Pod): Container[] {
  return [...(pod.spec?.initContainers ?? []).filter(isSidecar), ...pod.spec?.containers ?? []];
}
