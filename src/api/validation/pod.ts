// Pods: create, update (the spec is immutable except a few fields), status updates and bindings.
import type { Binding, ContainerStatus, Pod } from 'kubernetes-types/core/v1.d.ts';
import { field, FieldPath, type FieldError } from './field.ts';
import { invalidEach, isValidIP, nameIsDNSSubdomain } from './names.ts';
import { deepEqual, validateObjectMeta, validateObjectMetaUpdate } from './objectmeta.ts';
import { podSpecDiff } from './poddiff.ts';
import { validatePodSpec } from './podspec.ts';
import { validateOnlyAddedTolerations } from './taints.ts';
import { podQOSClass, recordedQOSClass } from '../defaults/qos.ts';

const specPath = FieldPath.root('spec');
const statusPath = FieldPath.root('status');
const metadataPath = FieldPath.root('metadata');

export const updatablePodSpecFields = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

export function validatePod(pod: Pod): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, specPath)];
}

function validateContainerImages(news: Pod['spec'], olds: Pod['spec'], key: 'containers' | 'initContainers'): { errs: FieldError[]; stop: boolean } {
  const list = news?.[key] ?? [];
  const path = specPath.child(key);
  if (list.length !== (olds?.[key] ?? []).length) {
    return { errs: [field.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  }
  const errs: FieldError[] = [];
  list.forEach((c, i) => {
    if (!c.image) errs.push(field.required(path.index(i).child('image')));
    if (c.image && c.image.trim() !== c.image) {
      errs.push(field.invalid(path.index(i).child('image'), c.image, 'must not have leading or trailing whitespace'));
    }
  });
  return { errs, stop: false };
}

function validateActiveDeadlineUpdate(pod: Pod, old: Pod): FieldError[] {
  const now = pod.spec?.activeDeadlineSeconds;
  const before = old.spec?.activeDeadlineSeconds;
  const path = specPath.child('activeDeadlineSeconds');
  if (now !== undefined) {
    if (now < 0 || now > 2147483647) return [field.invalid(path, now, 'must be between 0 and 2147483647, inclusive')];
    if (before !== undefined && before < now) return [field.invalid(path, now, 'must be less than or equal to previous value')];
  } else if (before !== undefined) {
    return [field.invalid(path, null, 'must not update from a positive integer to nil value')];
  }
  return [];
}

/** The new spec with every field a pod update may change set back to its old value. */
function mungedSpec(pod: Pod, old: Pod): NonNullable<Pod['spec']> {
  const spec = structuredClone(pod.spec ?? { containers: [] });
  const o = old.spec ?? { containers: [] };
  spec.containers = (spec.containers ?? []).map((c, i) => ({ ...c, image: o.containers?.[i]?.image }) as typeof c);
  if (spec.initContainers) spec.initContainers = spec.initContainers.map((c, i) => ({ ...c, image: o.initContainers?.[i]?.image }) as typeof c);
  spec.activeDeadlineSeconds = o.activeDeadlineSeconds;
  spec.tolerations = o.tolerations;
  spec.schedulingGates = o.schedulingGates;
  const oldGrace = o.terminationGracePeriodSeconds;
  if (oldGrace !== undefined && oldGrace < 0 && spec.terminationGracePeriodSeconds === 1) spec.terminationGracePeriodSeconds = oldGrace;
  return spec;
}

export function validatePodUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodSpec(pod.spec, specPath)];
  for (const key of ['containers', 'initContainers'] as const) {
    const r = validateContainerImages(pod.spec, old.spec, key);
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const deadline = validateActiveDeadlineUpdate(pod, old);
  errs.push(...deadline);
  if (deadline.length) return errs;
  errs.push(...validateOnlyAddedTolerations(pod.spec?.tolerations, old.spec?.tolerations, specPath.child('tolerations')));
  if (deepEqual(pod.spec, old.spec)) return errs;
  if (recordedQOSClass(old) !== podQOSClass(pod)) {
    errs.push(field.invalid(metadataPath, pod.status?.qosClass ?? '', 'Pod QoS is immutable'));
  }
  const munged = mungedSpec(pod, old);
  const oldSpec = old.spec ?? { containers: [] };
  if (!deepEqual(munged, oldSpec)) {
    errs.push(field.forbidden(specPath,
      `pod updates may not change fields other than ${updatablePodSpecFields.join(',')}\n${podSpecDiff(oldSpec, munged)}`));
  }
  return errs;
}

/** Terminated containers of a pod that will not restart them stay terminated. */
function validateContainerStateTransition(
  statuses: readonly ContainerStatus[] | undefined,
  old: readonly ContainerStatus[] | undefined,
  restartPolicy: string | undefined,
  path: FieldPath,
): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  (statuses ?? []).forEach((s, i) => {
    const before = old?.find((o) => o.name === s.name);
    const terminated = before?.state?.terminated;
    if (!terminated || s.state?.terminated) return;
    if (restartPolicy === 'Never' || (restartPolicy === 'OnFailure' && terminated.exitCode === 0)) {
      errs.push(field.forbidden(path.index(i).child('state'), 'may not be transitioned to non-terminated state'));
    }
  });
  return errs;
}

function validatePodIPs(pod: Pod, path: FieldPath, key: 'podIPs' | 'hostIPs'): FieldError[] {
  const errs: FieldError[] = [];
  const ips = pod.status?.[key] ?? [];
  ips.forEach((ip, i) => errs.push(...invalidEach(path.child(key).index(i), ip.ip, isValidIP(ip.ip ?? ''))));
  if (new Set(ips.map((ip) => ip.ip)).size !== ips.length) {
    errs.push(field.duplicate(path.child(key), ips.map((ip) => ip.ip)));
  }
  return errs;
}

export function validatePodStatusUpdate(pod: Pod, old: Pod): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) {
    errs.push(field.forbidden(statusPath.child('nodeName'), 'may not be changed directly'));
  }
  const nominated = pod.status?.nominatedNodeName;
  if (nominated && nominated !== old.status?.nominatedNodeName) {
    errs.push(...invalidEach(statusPath.child('nominatedNodeName'), nominated, nameIsDNSSubdomain(nominated, false)));
  }
  const policy = old.spec?.restartPolicy;
  errs.push(...validateContainerStateTransition(pod.status?.containerStatuses, old.status?.containerStatuses, policy,
    statusPath.child('containerStatuses')));
  errs.push(...validateContainerStateTransition(pod.status?.initContainerStatuses, old.status?.initContainerStatuses, policy,
    statusPath.child('initContainerStatuses')));
  errs.push(...validatePodIPs(pod, statusPath, 'podIPs'), ...validatePodIPs(pod, statusPath, 'hostIPs'));
  return errs;
}

export function validatePodBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  const target = binding.target ?? {};
  if (target.kind && target.kind !== 'Node') {
    errs.push(field.notSupported(FieldPath.root('target').child('kind'), target.kind, ['Node', '<empty>']));
  }
  if (!target.name) errs.push(field.required(FieldPath.root('target').child('name')));
  return errs;
}
