// The probe results cache (the kubelet's results manager): the last result of each kind of probe
// per container ID, as the workers set them. A change tells the agent to sync the pod; the pod
// worker (liveness and startup kills) and the status (ready, started) read the results.
// Nothing here outlives the agent: after a restart every probe starts over, as the kubelet's do.

export type ProbeKind = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'Success' | 'Failure';

/** What the pod worker and the status read: the cached result, undefined while unknown. */
export interface ProbeResults {
  get(kind: ProbeKind, containerId: string): ProbeResult | undefined;
}

export class ResultsManager implements ProbeResults {
  private readonly results = new Map<string, ProbeResult | undefined>();
  private readonly onChange: (podUid: string) => void;

  constructor(onChange: (podUid: string) => void) {
    this.onChange = onChange;
  }

  get(kind: ProbeKind, containerId: string): ProbeResult | undefined {
    return this.results.get(key(kind, containerId));
  }

  /** Sets a result (undefined: unknown yet); the pod is synced when it changed. */
  set(kind: ProbeKind, containerId: string, result: ProbeResult | undefined, podUid: string): void {
    const k = key(kind, containerId);
    const changed = !this.results.has(k) || this.results.get(k) !== result;
    this.results.set(k, result);
    if (changed) this.onChange(podUid);
  }

  remove(kind: ProbeKind, containerId: string): void {
    this.results.delete(key(kind, containerId));
  }
}

function key(kind: ProbeKind, containerId: string): string {
  return `${kind}/${containerId}`;
}
