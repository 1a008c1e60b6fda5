// Probes and lifecycle hooks: exactly one handler (exec, httpGet, tcpSocket, grpc, sleep),
// non-negative timings, and the per-probe rules (liveness/startup successThreshold 1).
import type { HTTPGetAction, Lifecycle, LifecycleHandler, Probe } from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { invalidEach, isValidPortName, isValidPortNum } from './names.ts';
import { validateNonnegative } from './objectmeta.ts';

type Handler = LifecycleHandler & Pick<Probe, 'grpc'>;
const httpSchemes = ['HTTP', 'HTTPS'];
const httpHeaderNameRE = /^[-A-Za-z0-9]+$/;

/** ValidatePortNumOrName: a number in 1-65535 or an IANA service name. */
export function validatePortNumOrName(port: number | string | undefined, path: FieldPath): FieldError[] {
  if (typeof port === 'number') return invalidEach(path, port, isValidPortNum(port));
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  return invalidEach(path, 0, isValidPortNum(0));
}

function validateHTTPGet(http: HTTPGetAction, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!http.path) errs.push(field.required(path.child('path')));
  errs.push(...validatePortNumOrName(http.port, path.child('port')));
  if (!httpSchemes.includes(http.scheme ?? '')) errs.push(field.notSupported(path.child('scheme'), http.scheme ?? '', httpSchemes));
  for (const header of http.httpHeaders ?? []) {
    if (!httpHeaderNameRE.test(header.name)) {
      errs.push(field.invalid(path.child('httpHeaders'), header.name,
        "a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"));
    }
  }
  return errs;
}

function validateHandler(handler: Handler, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let count = 0;
  const one = (key: string, check: () => FieldError[]): void => {
    if (count++ > 0) errs.push(field.forbidden(path.child(key), 'may not specify more than 1 handler type'));
    else errs.push(...check());
  };
  if (handler.exec) {
    const exec = handler.exec;
    one('exec', () => (exec.command?.length ? [] : [field.required(path.child('exec', 'command'))]));
  }
  if (handler.httpGet) {
    const http = handler.httpGet;
    one('httpGet', () => validateHTTPGet(http, path.child('httpGet')));
  }
  if (handler.tcpSocket) {
    const tcp = handler.tcpSocket;
    one('tcpSocket', () => validatePortNumOrName(tcp.port, path.child('tcpSocket', 'port')));
  }
  if (handler.grpc) {
    const grpc = handler.grpc;
    one('grpc', () => invalidEach(path.child('grpc', 'port'), grpc.port, isValidPortNum(grpc.port)));
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds;
    one('sleep', () =>
      gracePeriod !== undefined && (seconds <= 0 || seconds > gracePeriod)
        ? [field.invalid(path.child('sleep'), seconds,
            `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`)]
        : []);
  }
  if (count === 0) errs.push(field.required(path, 'must specify a handler type'));
  return errs;
}

function validateProbe(probe: Probe, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  const errs = validateHandler(probe, gracePeriod, path);
  for (const key of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegative(probe[key] ?? 0, path.child(key)));
  }
  const tgps = probe.terminationGracePeriodSeconds;
  if (tgps !== undefined && tgps <= 0) errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  return errs;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';

export function validateProbeOf(kind: ProbeKind, probe: Probe | undefined, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (!probe) return [];
  const errs = validateProbe(probe, gracePeriod, path);
  if (kind === 'readinessProbe') {
    if (probe.terminationGracePeriodSeconds !== undefined) {
      errs.push(field.invalid(path.child('terminationGracePeriodSeconds'), probe.terminationGracePeriodSeconds,
        'must not be set for readinessProbes'));
    }
  } else if ((probe.successThreshold ?? 0) !== 1) {
    errs.push(field.invalid(path.child('successThreshold'), probe.successThreshold ?? 0, 'must be 1'));
  }
  return errs;
}

export function validateLifecycle(lifecycle: Lifecycle | undefined, gracePeriod: number | undefined, path: FieldPath): FieldError[] {
  if (!lifecycle) return [];
  const errs: FieldError[] = [];
  if (lifecycle.postStart) errs.push(...validateHandler(lifecycle.postStart, gracePeriod, path.child('postStart')));
  if (lifecycle.preStop) errs.push(...validateHandler(lifecycle.preStop, gracePeriod, path.child('preStop')));
  return errs;
}
