// ValidatePodSpec, in Kubernetes' order: volumes, containers, init containers, policies,
// node selection, security, names, deadlines, tolerations. Shared by pods and pod templates.
import type { PodSpec, PodTemplateSpec } from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { validateContainers, validateInitContainers } from './container.ts';
import {
  inclusiveRangeError, invalidEach, isDNS1123Subdomain, isValidIP, nameIsDNSSubdomain, validateDNS1123Label, validateQualifiedName,
} from './names.ts';
import { validateAnnotations, validateLabels } from './objectmeta.ts';
import { validatePodSecurityContext } from './securitycontext.ts';
import { validateTolerations } from './taints.ts';
import { validateVolumes } from './volumes.ts';

export const restartPolicies = ['Always', 'OnFailure', 'Never'];
const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const preemptionPolicies = ['PreemptLowerPriority', 'Never'];
const maxInt32 = 2147483647;

function validateEnum(value: string | undefined, supported: readonly string[], path: FieldPath): FieldError[] {
  if (!value) return [field.required(path)];
  return supported.includes(value) ? [] : [field.notSupported(path, value, supported)];
}

function validateDNSConfig(spec: PodSpec, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None' && (!cfg || !cfg.nameservers?.length)) {
    errs.push(field.required(path.child('nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
  }
  if (!cfg) return errs;
  const servers = cfg.nameservers ?? [];
  if (servers.length > 3) errs.push(field.invalid(path.child('nameservers'), servers, 'must not have more than 3 nameservers'));
  servers.forEach((ns, i) => errs.push(...invalidEach(path.child('nameservers').index(i), ns, isValidIP(ns))));
  const searches = cfg.searches ?? [];
  if (searches.length > 32) errs.push(field.invalid(path.child('searches'), searches, 'must not have more than 32 search paths'));
  searches.forEach((s, i) => {
    const domain = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...invalidEach(path.child('searches').index(i), domain, isDNS1123Subdomain(domain)));
  });
  (cfg.options ?? []).forEach((o, i) => {
    if (!o.name) errs.push(field.required(path.child('options').index(i), 'Option.Name must not be empty'));
  });
  return errs;
}

export function validatePodSpec(spec: PodSpec | undefined, path: FieldPath): FieldError[] {
  const s: PodSpec = spec ?? { containers: [] };
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds === undefined) errs.push(field.required(path.child('terminationGracePeriodSeconds')));
  const vols = validateVolumes(s.volumes, path.child('volumes'));
  errs.push(...vols.errs);
  const ctx = { volumes: vols.names, gracePeriod: s.terminationGracePeriodSeconds };
  errs.push(...validateContainers(s.containers, ctx, path.child('containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, ctx, path.child('initContainers')));
  if (s.ephemeralContainers?.length) {
    errs.push(field.forbidden(path.child('ephemeralContainers'), 'cannot be set on create'));
  }
  errs.push(...validateEnum(s.restartPolicy, restartPolicies, path.child('restartPolicy')));
  errs.push(...validateEnum(s.dnsPolicy, dnsPolicies, path.child('dnsPolicy')));
  errs.push(...validateLabels(s.nodeSelector, path.child('nodeSelector')));
  errs.push(...validatePodSecurityContext(s.securityContext, path.child('securityContext')));
  (s.imagePullSecrets ?? []).forEach((ref, i) => {
    if (!ref.name) errs.push(field.required(path.child('imagePullSecrets').index(i).child('name')));
  });
  errs.push(...validateDNSConfig(s, path.child('dnsConfig')));
  (s.readinessGates ?? []).forEach((g, i) => {
    errs.push(...validateQualifiedName(g.conditionType ?? '', path.child('readinessGates').index(i).child('conditionType')));
  });
  if (s.serviceAccountName) {
    errs.push(...invalidEach(path.child('serviceAccountName'), s.serviceAccountName, nameIsDNSSubdomain(s.serviceAccountName, false)));
  }
  if (s.nodeName) errs.push(...invalidEach(path.child('nodeName'), s.nodeName, nameIsDNSSubdomain(s.nodeName, false)));
  const ads = s.activeDeadlineSeconds;
  if (ads !== undefined && (ads < 1 || ads > maxInt32)) {
    errs.push(field.invalid(path.child('activeDeadlineSeconds'), ads, inclusiveRangeError(1, maxInt32)));
  }
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, path.child('hostname')));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, path.child('subdomain')));
  if (s.tolerations?.length) errs.push(...validateTolerations(s.tolerations, path.child('tolerations')));
  (s.hostAliases ?? []).forEach((a, i) => {
    const p = path.child('hostAliases').index(i);
    errs.push(...invalidEach(p.child('ip'), a.ip, isValidIP(a.ip ?? '')));
    (a.hostnames ?? []).forEach((h, j) => errs.push(...invalidEach(p.child('hostnames').index(j), h, isDNS1123Subdomain(h))));
  });
  if (s.priorityClassName) {
    errs.push(...invalidEach(path.child('priorityClassName'), s.priorityClassName, nameIsDNSSubdomain(s.priorityClassName, false)));
  }
  if (s.preemptionPolicy !== undefined) errs.push(...validateEnum(s.preemptionPolicy ?? '', preemptionPolicies, path.child('preemptionPolicy')));
  return errs;
}

/** ValidatePodTemplateSpec: labels and annotations (on the template path itself, as kube), then the spec. */
export function validatePodTemplateSpec(template: PodTemplateSpec, path: FieldPath): FieldError[] {
  return [
    ...validateLabels(template.metadata?.labels, path.child('labels')),
    ...validateAnnotations(template.metadata?.annotations, path.child('annotations')),
    ...validatePodSpec(template.spec, path.child('spec')),
  ];
}
