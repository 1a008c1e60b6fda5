// Container environment: env (value or exactly one valueFrom source) and envFrom, plus the
// downward API selectors env and volumes share.
import type {
  ConfigMapKeySelector, EnvFromSource, EnvVar, ObjectFieldSelector, ResourceFieldSelector, SecretKeySelector,
} from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { invalidEach, isConfigMapKey, isEnvVarName, isQualifiedName, nameIsDNSSubdomain } from './names.ts';
import { Quantity } from '../quantity.ts';

export const envFieldPaths = [
  'metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName',
  'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs',
];
export const volumeFieldPaths = ['metadata.annotations', 'metadata.labels', 'metadata.name', 'metadata.namespace', 'metadata.uid'];
const resourceFieldPaths = [
  'limits.cpu', 'limits.ephemeral-storage', 'limits.memory', 'requests.cpu', 'requests.ephemeral-storage', 'requests.memory',
];
const hugePagePrefixes = ['limits.hugepages-', 'requests.hugepages-'];

export function validateEnv(vars: readonly EnvVar[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (vars ?? []).forEach((ev, i) => {
    const p = path.index(i);
    if (!ev.name) errs.push(field.required(p.child('name')));
    else errs.push(...invalidEach(p.child('name'), ev.name, isEnvVarName(ev.name)));
    errs.push(...validateEnvVarValueFrom(ev, p.child('valueFrom')));
  });
  return errs;
}

function validateEnvVarValueFrom(ev: EnvVar, path: FieldPath): FieldError[] {
  const from = ev.valueFrom;
  if (!from) return [];
  const errs: FieldError[] = [];
  let sources = 0;
  if (from.fieldRef) {
    sources++;
    errs.push(...validateObjectFieldSelector(from.fieldRef, envFieldPaths, path.child('fieldRef')));
  }
  if (from.resourceFieldRef) {
    sources++;
    errs.push(...validateResourceFieldSelector(from.resourceFieldRef, path.child('resourceFieldRef'), false));
  }
  if (from.configMapKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.configMapKeyRef, path.child('configMapKeyRef')));
  }
  if (from.secretKeyRef) {
    sources++;
    errs.push(...validateKeySelector(from.secretKeyRef, path.child('secretKeyRef')));
  }
  if (sources === 0) {
    errs.push(field.invalid(path, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  } else if (ev.value) {
    errs.push(field.invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return errs;
}

function validateKeySelector(s: ConfigMapKeySelector | SecretKeySelector, path: FieldPath): FieldError[] {
  const errs = invalidEach(path.child('name'), s.name ?? '', nameIsDNSSubdomain(s.name ?? '', false));
  if (!s.key) errs.push(field.required(path.child('key')));
  else errs.push(...invalidEach(path.child('key'), s.key, isConfigMapKey(s.key)));
  return errs;
}

/** fieldRef of env and downwardAPI volumes; `allowed` lists the paths without subscript. */
export function validateObjectFieldSelector(fs: ObjectFieldSelector, allowed: readonly string[], path: FieldPath): FieldError[] {
  if (!fs.apiVersion) return [field.required(path.child('apiVersion'))];
  if (!fs.fieldPath) return [field.required(path.child('fieldPath'))];
  if (fs.apiVersion !== 'v1') {
    return [field.invalid(path.child('fieldPath'), fs.fieldPath, `error converting fieldPath: unsupported pod version: ${fs.apiVersion}`)];
  }
  const sub = /^([^[]+)\['(.*)'\]$/.exec(fs.fieldPath);
  if (sub) {
    const [, base, key] = sub as unknown as [string, string, string];
    if (base === 'metadata.annotations') return invalidEach(path, key.toLowerCase(), isQualifiedName(key.toLowerCase()));
    if (base === 'metadata.labels') return invalidEach(path, key, isQualifiedName(key));
    return [field.invalid(path, base, 'does not support subscript')];
  }
  if (!allowed.includes(fs.fieldPath)) return [field.notSupported(path.child('fieldPath'), fs.fieldPath, allowed)];
  return [];
}

/** resourceFieldRef: a container's limits/requests; volumes must name the container. */
export function validateResourceFieldSelector(fs: ResourceFieldSelector, path: FieldPath, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (volume && !fs.containerName) errs.push(field.required(path.child('containerName')));
  else if (!fs.resource) errs.push(field.required(path.child('resource')));
  else if (!resourceFieldPaths.includes(fs.resource) && !hugePagePrefixes.some((p) => fs.resource.startsWith(p))) {
    errs.push(field.notSupported(path.child('resource'), fs.resource, resourceFieldPaths));
  }
  errs.push(...validateDivisor(fs.resource ?? '', fs.divisor, path));
  return errs;
}

const cpuDivisors = ['1m', '1'];
const memoryDivisors = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

function validateDivisor(resource: string, divisor: string | undefined, path: FieldPath): FieldError[] {
  if (divisor === undefined) return [];
  const q = Quantity.tryParse(divisor);
  if (!q || q.isZero()) return [];
  const text = q.toString();
  const p = path.child('divisor');
  if (resource.endsWith('.cpu') && !cpuDivisors.some((d) => Quantity.parse(d).cmp(q) === 0)) {
    return [field.invalid(p, text, "only divisor's values 1m and 1 are supported with the cpu resource")];
  }
  if ((resource.endsWith('.memory') || resource.endsWith('.ephemeral-storage')) &&
      !memoryDivisors.some((d) => Quantity.parse(d).cmp(q) === 0)) {
    const kind = resource.endsWith('.memory') ? 'memory' : 'local ephemeral storage';
    return [field.invalid(p, text, `only divisor's values ${memoryDivisors.join(', ')} are supported with the ${kind} resource`)];
  }
  return [];
}

export function validateEnvFrom(sources: readonly EnvFromSource[] | undefined, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (sources ?? []).forEach((ev, i) => {
    const p = path.index(i);
    if (ev.prefix) errs.push(...invalidEach(p.child('prefix'), ev.prefix, isEnvVarName(ev.prefix)));
    let count = 0;
    for (const [key, ref] of [['configMapRef', ev.configMapRef], ['secretRef', ev.secretRef]] as const) {
      if (!ref) continue;
      count++;
      if (!ref.name) errs.push(field.required(p.child(key, 'name')));
      else errs.push(...invalidEach(p.child(key, 'name'), ref.name, nameIsDNSSubdomain(ref.name, false)));
    }
    if (count === 0) errs.push(field.invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (count > 1) errs.push(field.invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}
