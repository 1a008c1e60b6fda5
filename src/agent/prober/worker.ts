// One probe of one container (the kubelet's prober worker): every periodSeconds it looks at the
// container's latest status and probes it, then applies the thresholds.
//
//   no container yet ─────────────▶ wait
//   new container ID ─────────────▶ result = initial (readiness Failure, liveness Success,
//                                    startup unknown); resume if on hold
//   not running ──────────────────▶ Failure; stop for good once it will not restart
//   pod deleting (liveness/startup) ▶ Success, stop
//   within initialDelaySeconds, or started (startup) / not started (others) ▶ wait
//   probe ─▶ same result failureThreshold (successThreshold) times in a row ─▶ set it;
//            a liveness or startup Failure holds the worker until the container is replaced
import type { Container, ContainerStatus, Pod, PodStatus, Probe } from 'kubernetes-types/core/v1.d.ts';
import type { Clock } from '../../client/clock.ts';
import { containerIdPrefix } from '../podworker/labels.ts';
import type { Prober } from './prober.ts';
import type { ProbeKind, ProbeResult, ResultsManager } from './results.ts';

export interface WorkerDeps {
  prober: Prober;
  results: ResultsManager;
  /** Timers: every period, from the worker's start. */
  clock: Clock;
  /** Wall time, to compare with a container's startedAt. */
  now: () => Date;
}

const initialResults: Record<ProbeKind, ProbeResult | undefined> = { readiness: 'Failure', liveness: 'Success', startup: undefined };
/** How long past its timeoutSeconds a probe may take before its run is dropped. */
const stuckProbeMarginSeconds = 10;

export class ProbeWorker {
  readonly kind: ProbeKind;
  private readonly deps: WorkerDeps;
  private readonly container: Container;
  private readonly spec: Probe;
  private pod: Pod;
  private status: PodStatus | undefined;
  private containerId = '';
  private onHold = false;
  private lastResult: ProbeResult | undefined;
  private run = 0;
  private cancel: (() => void) | undefined;
  private probing: Promise<void> | undefined;
  private stopped = false;

  constructor(deps: WorkerDeps, kind: ProbeKind, pod: Pod, container: Container, spec: Probe) {
    this.deps = deps;
    this.kind = kind;
    this.pod = pod;
    this.container = container;
    this.spec = spec;
  }

  start(): void {
    this.schedule();
  }

  /** The pod and the status the agent last generated for it. */
  update(pod: Pod, status: PodStatus): void {
    this.pod = pod;
    this.status = status;
  }

  /** Whether this worker probes the named container. */
  probes(containerName: string): boolean {
    return this.container.name === containerName;
  }

  /** Probes now rather than at the next period (a container just started, its readiness unknown). */
  trigger(): void {
    if (this.stopped || this.probing !== undefined) return;
    this.cancel?.();
    void this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel?.();
    await this.probing;
    if (this.containerId !== '') this.deps.results.remove(this.kind, this.containerId);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.cancel = this.deps.clock.after((this.spec.periodSeconds ?? 10) * 1000, () => void this.tick());
  }

  private async tick(): Promise<void> {
    this.probing = this.doProbe().then((keepGoing) => {
      this.probing = undefined;
      if (keepGoing) this.schedule();
      else this.stopped = true;
    }, (err: unknown) => {
      console.error(`prober: ${this.kind} probe of ${this.pod.metadata?.name}/${this.container.name}: ${(err as Error).message}`);
      this.probing = undefined;
      this.schedule();
    });
    await this.probing;
  }

  /** One look and perhaps one probe; false when the worker has nothing more to do. */
  private async doProbe(): Promise<boolean> {
    const phase = this.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') return false;
    const c = this.containerStatus();
    if (c?.containerID === undefined || c.containerID === '') return true;
    if (c.containerID !== containerIdPrefix + this.containerId) this.newContainer(c.containerID.slice(containerIdPrefix.length));
    if (this.onHold) return true;
    if (c.state?.running === undefined) {
      this.set('Failure');
      return c.state?.terminated === undefined || this.pod.spec?.restartPolicy !== 'Never';
    }
    if (this.pod.metadata?.deletionTimestamp && this.kind !== 'readiness') {
      this.set('Success');
      return false;
    }
    const runningFor = this.deps.now().getTime() - Date.parse(c.state.running.startedAt ?? '');
    if (runningFor < (this.spec.initialDelaySeconds ?? 0) * 1000) return true;
    if ((c.started === true) === (this.kind === 'startup')) return true;
    const result = await this.probeWithin();
    if (result === undefined || this.stopped) return true;
    this.threshold(result);
    return true;
  }

  /**
   * The probe's result, or undefined when it has not settled well past its own timeout (a runtime
   * call stuck under load): the worker drops that run rather than stop probing for good.
   */
  private probeWithin(): Promise<ProbeResult | undefined> {
    const limitMs = ((this.spec.timeoutSeconds ?? 1) + stuckProbeMarginSeconds) * 1000;
    return new Promise((resolve, reject) => {
      const cancel = this.deps.clock.after(limitMs, () => resolve(undefined));
      this.deps.prober.probe(this.kind, this.spec, { pod: this.pod, container: this.container, containerId: this.containerId, podIP: this.status?.podIP ?? '' })
        .then((result) => { cancel(); resolve(result); }, (err: unknown) => { cancel(); reject(err); });
    });
  }

  private threshold(result: ProbeResult): void {
    this.run = this.lastResult === result ? this.run + 1 : 1;
    this.lastResult = result;
    const needed = result === 'Failure' ? this.spec.failureThreshold ?? 3 : this.spec.successThreshold ?? 1;
    if (this.run < needed) return;
    this.set(result);
    if (this.kind !== 'readiness' && result === 'Failure') {
      // The container will be killed; probing it meanwhile could only race with its stop.
      this.onHold = true;
      this.run = 0;
    }
  }

  private newContainer(id: string): void {
    if (this.containerId !== '') this.deps.results.remove(this.kind, this.containerId);
    this.containerId = id;
    this.onHold = false;
    this.deps.results.set(this.kind, id, initialResults[this.kind], this.pod.metadata?.uid ?? '');
  }

  private set(result: ProbeResult): void {
    this.deps.results.set(this.kind, this.containerId, result, this.pod.metadata?.uid ?? '');
  }

  private containerStatus(): ContainerStatus | undefined {
    const find = (list: ContainerStatus[] | undefined) => list?.find((s) => s.name === this.container.name && s.containerID);
    return find(this.status?.containerStatuses) ?? find(this.status?.initContainerStatuses);
  }
}
