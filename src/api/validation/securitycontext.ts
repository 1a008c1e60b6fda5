// Security contexts, container and pod level: user and group ids in range, seccomp profile
// types, sysctl names, and the privileged/allowPrivilegeEscalation contradiction.
import type { PodSecurityContext, SeccompProfile, SecurityContext } from 'kubernetes-types/core/v1.d.ts';
import { field, type FieldError, type FieldPath } from './field.ts';
import { invalidEach, isValidUserID } from './names.ts';

const seccompTypes = ['Localhost', 'RuntimeDefault', 'Unconfined'];
const procMountTypes = ['Default', 'Unmasked'];
const sysctlRE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

function validateSeccomp(profile: SeccompProfile | undefined, path: FieldPath): FieldError[] {
  if (!profile) return [];
  if (!seccompTypes.includes(profile.type)) return [field.notSupported(path.child('type'), profile.type, seccompTypes)];
  if (profile.type === 'Localhost' && !profile.localhostProfile) {
    return [field.required(path.child('localhostProfile'), 'must be set when seccomp type is Localhost')];
  }
  if (profile.type !== 'Localhost' && profile.localhostProfile) {
    return [field.invalid(path.child('localhostProfile'), profile.localhostProfile, 'can only be set when seccomp type is Localhost')];
  }
  return [];
}

function validateIds(ctx: { runAsUser?: number; runAsGroup?: number }, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (ctx.runAsUser !== undefined) errs.push(...invalidEach(path.child('runAsUser'), ctx.runAsUser, isValidUserID(ctx.runAsUser)));
  if (ctx.runAsGroup !== undefined) errs.push(...invalidEach(path.child('runAsGroup'), ctx.runAsGroup, isValidUserID(ctx.runAsGroup)));
  return errs;
}

export function validateSecurityContext(sc: SecurityContext | undefined, path: FieldPath): FieldError[] {
  if (!sc) return [];
  const errs = validateIds(sc, path);
  if (sc.procMount !== undefined && !procMountTypes.includes(sc.procMount)) {
    errs.push(field.notSupported(path.child('procMount'), sc.procMount, procMountTypes));
  }
  errs.push(...validateSeccomp(sc.seccompProfile, path.child('seccompProfile')));
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    }
    if (sc.capabilities?.add?.includes('CAP_SYS_ADMIN')) {
      errs.push(field.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
}

export function validatePodSecurityContext(sc: PodSecurityContext | undefined, path: FieldPath): FieldError[] {
  if (!sc) return [];
  const errs = validateIds(sc, path);
  if (sc.fsGroup !== undefined) errs.push(...invalidEach(path.child('fsGroup'), sc.fsGroup, isValidUserID(sc.fsGroup)));
  (sc.supplementalGroups ?? []).forEach((g, i) => {
    errs.push(...invalidEach(path.child('supplementalGroups').index(i), g, isValidUserID(g)));
  });
  const policy = sc.fsGroupChangePolicy;
  if (policy !== undefined && !['OnRootMismatch', 'Always'].includes(policy)) {
    errs.push(field.notSupported(path.child('fsGroupChangePolicy'), policy, ['OnRootMismatch', 'Always']));
  }
  const seen = new Set<string>();
  (sc.sysctls ?? []).forEach((s, i) => {
    const p = path.child('sysctls').index(i);
    if (!s.name) errs.push(field.required(p.child('name')));
    else if (s.name.length > 253 || !sysctlRE.test(s.name)) {
      errs.push(field.invalid(p.child('name'), s.name,
        `sysctl "${s.name}" not of the format sysctl_name`));
    } else if (seen.has(s.name)) errs.push(field.duplicate(p.child('name'), s.name));
    seen.add(s.name);
  });
  errs.push(...validateSeccomp(sc.seccompProfile, path.child('seccompProfile')));
  return errs;
}
