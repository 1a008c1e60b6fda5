// One run of a container's probe (the kubelet's prober.probe): the handler the spec names, its
// outcome turned into a result, and the kubelet's event for anything but a plain success:
//   Warning Unhealthy     "Liveness probe failed: HTTP probe failed with statuscode: 500"
//   Warning ProbeWarning  "Readiness probe warning: Probe terminated redirects, Response body: …"
//   Warning Unhealthy     "Startup probe errored and resulted in unknown state: …" (the result is dropped)
import type { Container, Pod, Probe } from 'kubernetes-types/core/v1.d.ts';
import type { Recorder } from '../podworker/deps.ts';
import type { Runtime } from '../runtime/runtime.ts';
import { execProbe } from './exec.ts';
import { grpcProbe } from './grpc.ts';
import { httpGetTarget } from './http_get.ts';
import { httpProbe } from './http.ts';
import type { ProbeOutcome } from './outcome.ts';
import { ProbeSetupError, resolveContainerPort } from './port.ts';
import type { ProbeKind, ProbeResult } from './results.ts';
import { tcpProbe } from './tcp.ts';
import { expand, mappingFor } from '../kuberuntime/expansion.ts';

export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string;
}

export interface Prober {
  /** The probe's result; undefined when it could not be run (the worker keeps its state). */
  probe(kind: ProbeKind, spec: Probe, target: ProbeTarget): Promise<ProbeResult | undefined>;
}

const kindNames: Record<ProbeKind, string> = { liveness: 'Liveness', readiness: 'Readiness', startup: 'Startup' };

export class ContainerProber implements Prober {
  private readonly runtime: Runtime;
  private readonly recorder: Recorder;

  constructor(runtime: Runtime, recorder: Recorder) {
    this.runtime = runtime;
    this.recorder = recorder;
  }

  async probe(kind: ProbeKind, spec: Probe, target: ProbeTarget): Promise<ProbeResult | undefined> {
    const name = kindNames[kind];
    let outcome: ProbeOutcome;
    try {
      outcome = await this.run(spec, target);
    } catch (err) {
      if (!(err instanceof ProbeSetupError)) throw err;
      void this.recorder.event(target.pod, 'Warning', 'Unhealthy', `${name} probe errored and resulted in unknown state: ${err.message}`);
      return undefined;
    }
    // Events go out on their own: a slow API server must not slow the probing down.
    if (outcome.result === 'Failure') void this.recorder.event(target.pod, 'Warning', 'Unhealthy', `${name} probe failed: ${outcome.output}`);
    if (outcome.result === 'Warning') void this.recorder.event(target.pod, 'Warning', 'ProbeWarning', `${name} probe warning: ${outcome.output}`);
    return outcome.result === 'Failure' ? 'Failure' : 'Success';
  }

  private run(spec: Probe, { container, containerId, podIP }: ProbeTarget): Promise<ProbeOutcome> {
    const timeoutMs = (spec.timeoutSeconds ?? 1) * 1000;
    if (spec.exec) return execProbe(this.runtime, containerId, staticCommand(spec.exec.command ?? [], container), timeoutMs);
    if (spec.httpGet) return httpProbe(httpGetTarget(spec.httpGet, container, podIP, 'probe'), timeoutMs);
    if (spec.tcpSocket) return tcpProbe(spec.tcpSocket.host || podIP, resolveContainerPort(spec.tcpSocket.port, container), timeoutMs);
    if (spec.grpc) return grpcProbe(podIP, spec.grpc.port, spec.grpc.service ?? '', timeoutMs);
    throw new ProbeSetupError('missing probe handler');
  }
}

/** $(VAR) in an exec probe's command, from the container's env values given literally (the kubelet's ExpandContainerCommandOnlyStatic). */
function staticCommand(command: string[], container: Container): string[] {
  const values = new Map((container.env ?? []).filter((e) => e.valueFrom === undefined).map((e) => [e.name, e.value ?? '']));
  const mapping = mappingFor(values);
  return command.map((word) => expand(word, mapping));
}
