// Containers and init containers of a pod spec. Names are DNS-1123 labels unique across both
// lists; init containers may only carry probes and lifecycle hooks as sidecars (restartPolicy Always).
import type { Container, ContainerPort } from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { validateEnv, validateEnvFrom } from './env.ts';
import { invalidEach, isValidPortName, isValidPortNum, validateDNS1123Label } from './names.ts';
import { validateLifecycle, validateProbeOf, type ProbeKind } from './probes.ts';
import { validateResourceRequirements } from './resources.ts';
import { validateSecurityContext } from './securitycontext.ts';
import { validateVolumeMounts } from './volumes.ts';

export const portProtocols = ['SCTP', 'TCP', 'UDP'];
const pullPolicies = ['Always', 'IfNotPresent', 'Never'];
const terminationMessagePolicies = ['File', 'FallbackToLogsOnError'];
const probeKinds: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

export interface ContainerContext {
  volumes: Set<string>;
  gracePeriod: number | undefined;
}

function validatePorts(ports: readonly ContainerPort[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((port, i) => {
    const p = path.index(i);
    if (port.name) {
      const msgs = isValidPortName(port.name);
      if (msgs.length) errs.push(...invalidEach(p.child('name'), port.name, msgs));
      else if (names.has(port.name)) errs.push(field.duplicate(p.child('name'), port.name));
      else names.add(port.name);
    }
    if (!port.containerPort) errs.push(field.required(p.child('containerPort')));
    else errs.push(...invalidEach(p.child('containerPort'), port.containerPort, isValidPortNum(port.containerPort)));
    if (port.hostPort) errs.push(...invalidEach(p.child('hostPort'), port.hostPort, isValidPortNum(port.hostPort)));
    if (!port.protocol) errs.push(field.required(p.child('protocol')));
    else if (!portProtocols.includes(port.protocol)) errs.push(field.notSupported(p.child('protocol'), port.protocol, portProtocols));
  });
  return errs;
}

/** Host ports may be used once per protocol and host IP; `path` is the containers list. */
function checkHostPortConflicts(containers: readonly Container[], path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, ci) => {
    (c.ports ?? []).forEach((port, pi) => {
      if (!port.hostPort) return;
      const key = `${port.protocol ?? ''}/${port.hostIP ?? ''}/${port.hostPort}`;
      if (seen.has(key)) errs.push(field.duplicate(path.index(ci).child('ports').index(pi).child('hostPort'), key));
      seen.add(key);
    });
  });
  return errs;
}

function validateContainerCommon(c: Container, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(field.required(path.child('name')));
  else errs.push(...validateDNS1123Label(c.name, path.child('name')));
  if (!c.image) errs.push(field.required(path.child('image')));
  const tmp = c.terminationMessagePolicy;
  if (!tmp) errs.push(field.required(path.child('terminationMessagePolicy'), "must be 'File' or 'FallbackToLogsOnError'"));
  else if (!terminationMessagePolicies.includes(tmp)) {
    errs.push(field.notSupported(path.child('terminationMessagePolicy'), tmp, terminationMessagePolicies));
  }
  errs.push(...validatePorts(c.ports, path.child('ports')));
  errs.push(...validateEnv(c.env, path.child('env')));
  errs.push(...validateEnvFrom(c.envFrom, path.child('envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, ctx.volumes, path.child('volumeMounts')));
  if (!c.imagePullPolicy) errs.push(field.required(path.child('imagePullPolicy')));
  else if (!pullPolicies.includes(c.imagePullPolicy)) {
    errs.push(field.notSupported(path.child('imagePullPolicy'), c.imagePullPolicy, pullPolicies));
  }
  errs.push(...validateResourceRequirements(c.resources, path.child('resources')));
  errs.push(...validateSecurityContext(c.securityContext, path.child('securityContext')));
  return errs;
}

function validateProbesAndHooks(c: Container, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const errs = validateLifecycle(c.lifecycle, ctx.gracePeriod, path.child('lifecycle'));
  for (const kind of probeKinds) errs.push(...validateProbeOf(kind, c[kind], ctx.gracePeriod, path.child(kind)));
  return errs;
}

export function validateContainers(containers: readonly Container[] | undefined, ctx: ContainerContext, path: FieldPath): FieldError[] {
  const list = containers ?? [];
  const errs: FieldError[] = [];
  if (list.length === 0) errs.push(field.required(path));
  const names = new Set<string>();
  list.forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, ctx, p));
    if (names.has(c.name)) errs.push(field.duplicate(p.child('name'), c.name));
    else names.add(c.name);
    errs.push(...validateProbesAndHooks(c, ctx, p));
    if (c.restartPolicy !== undefined) errs.push(field.forbidden(p.child('restartPolicy'), 'may not be set for non-init containers'));
  });
  errs.push(...checkHostPortConflicts(list, path));
  return errs;
}

export function validateInitContainers(
  inits: readonly Container[] | undefined,
  containers: readonly Container[] | undefined,
  ctx: ContainerContext,
  path: FieldPath,
): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((containers ?? []).map((c) => c.name));
  (inits ?? []).forEach((c, i) => {
    const p = path.index(i);
    errs.push(...validateContainerCommon(c, ctx, p));
    let sidecar = false;
    if (c.restartPolicy !== undefined) {
      if (c.restartPolicy === 'Always') sidecar = true;
      else errs.push(field.notSupported(p.child('restartPolicy'), c.restartPolicy, ['Always']));
    }
    if (names.has(c.name)) errs.push(field.duplicate(p.child('name'), c.name));
    else if (c.name) names.add(c.name);
    // Init containers run one by one, so each only conflicts with itself (reported at index 0, as kube does).
    errs.push(...checkHostPortConflicts([c], path));
    if (sidecar) errs.push(...validateProbesAndHooks(c, ctx, p));
    else {
      for (const key of ['lifecycle', ...probeKinds] as const) {
        if (c[key]) errs.push(field.forbidden(p.child(key), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
  });
  return errs;
}
