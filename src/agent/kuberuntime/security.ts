// Who a container runs as and with which privileges: the kubelet's effective security context
// (container fields over the pod's) plus what the CRI runtime derives from the image.
//
//   uid   runAsUser │ the image's User (its numeric part, or a name looked up in its passwd) │ 0
//   gid   runAsGroup │ the passwd entry of the user │ 0 — the image's ":group" is ignored, as
//         the kubelet passes only a uid to the runtime (kubernetes#61967)
//   groups  gid, fsGroup, supplementalGroups, then the image's /etc/group memberships
//   runAsNonRoot is checked on runAsUser or the image's User, with the kubelet's messages
//   seccomp  container │ pod │ RuntimeDefault; privileged runs unconfined; Localhost unsupported
import type { Container, Pod, SeccompProfile } from 'kubernetes-types/core/v1.d.ts';
import type { ImageConfig } from '../images/oci/types.ts';
import type { ContainerSecurity, ContainerUser } from '../runtime/runtime.ts';
import { ContainerConfigError, CreateContainerError, formatPod, goQuote } from './errors.ts';
import { parseId, type ImageUsers } from './passwd.ts';

export interface ContainerIdentity {
  user: ContainerUser;
  security: ContainerSecurity;
}

interface EffectiveSecurityContext {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  seccompProfile?: SeccompProfile;
}

/** `users` are the image's passwd/group entries (readImageUsers); without them names cannot resolve. */
export function containerSecurity(pod: Pod, container: Container, image: ImageConfig, users?: ImageUsers): ContainerIdentity {
  const effective = effectiveSecurityContext(pod, container);
  const imageUser = imageUserOf(image);
  verifyRunAsNonRoot(pod, container, effective, imageUser);
  const sc = container.securityContext;
  const privileged = sc?.privileged === true;
  const security: ContainerSecurity = {
    privileged,
    readonlyRootfs: sc?.readOnlyRootFilesystem === true,
    noNewPrivileges: sc?.allowPrivilegeEscalation === false,
    // Runtimes apply no seccomp filter to privileged containers.
    seccomp: privileged ? 'Unconfined' : seccompOf(effective.seccompProfile),
  };
  if (sc?.capabilities !== undefined) {
    security.capabilities = { add: [...(sc.capabilities.add ?? [])], drop: [...(sc.capabilities.drop ?? [])] };
  }
  return { user: containerUser(pod, effective, imageUser, users), security };
}

function effectiveSecurityContext(pod: Pod, container: Container): EffectiveSecurityContext {
  const p = pod.spec?.securityContext;
  const c = container.securityContext;
  return {
    runAsUser: c?.runAsUser ?? p?.runAsUser,
    runAsGroup: c?.runAsGroup ?? p?.runAsGroup,
    runAsNonRoot: c?.runAsNonRoot ?? p?.runAsNonRoot,
    seccompProfile: c?.seccompProfile ?? p?.seccompProfile,
  };
}

/** The image's user as the kubelet sees it: a uid, or a name it cannot check; no User means root. */
type ImageUser = { uid: number } | { name: string };

function imageUserOf(image: ImageConfig): ImageUser {
  const user = (image.config?.User ?? '').split(':')[0]!;
  if (user === '') return { uid: 0 };
  const uid = parseId(user);
  return uid === undefined ? { name: user } : { uid };
}

function verifyRunAsNonRoot(pod: Pod, container: Container, sc: EffectiveSecurityContext, imageUser: ImageUser): void {
  if (sc.runAsNonRoot !== true) return;
  const where = `(pod: ${goQuote(formatPod(pod))}, container: ${container.name})`;
  if (sc.runAsUser !== undefined) {
    if (sc.runAsUser === 0) throw new ContainerConfigError(`container's runAsUser breaks non-root policy ${where}`);
    return;
  }
  if ('name' in imageUser) {
    throw new ContainerConfigError(`container has runAsNonRoot and image has non-numeric user (${imageUser.name}), cannot verify user is non-root ${where}`);
  }
  if (imageUser.uid === 0) throw new ContainerConfigError(`container has runAsNonRoot and image will run as root ${where}`);
}

function containerUser(pod: Pod, sc: EffectiveSecurityContext, imageUser: ImageUser, users: ImageUsers | undefined): ContainerUser {
  const passwd = users?.users ?? [];
  const wantedUid = sc.runAsUser ?? ('uid' in imageUser ? imageUser.uid : undefined);
  const entry = wantedUid !== undefined
    ? passwd.find((u) => u.uid === wantedUid)
    : passwd.find((u) => 'name' in imageUser && u.name === imageUser.name);
  const uid = wantedUid ?? entry?.uid;
  if (uid === undefined) {
    // runc's message, which the runtime reports when it cannot resolve the image's user.
    throw new CreateContainerError(`unable to find user ${(imageUser as { name: string }).name}: no matching entries in passwd file`);
  }
  const gid = sc.runAsGroup ?? entry?.gid ?? 0;
  const podSc = pod.spec?.securityContext;
  const memberships = entry === undefined ? [] : (users?.groups ?? [])
    .filter((g) => g.name !== entry.name && g.members.includes(entry.name))
    .map((g) => g.gid);
  const groups = [gid, ...(podSc?.fsGroup !== undefined ? [podSc.fsGroup] : []), ...(podSc?.supplementalGroups ?? []), ...memberships];
  return { uid, gid, supplementalGroups: [...new Set(groups)] };
}

function seccompOf(profile: SeccompProfile | undefined): 'RuntimeDefault' | 'Unconfined' {
  switch (profile?.type) {
    case undefined:
    case 'RuntimeDefault':
      return 'RuntimeDefault';
    case 'Unconfined':
      return 'Unconfined';
    case 'Localhost':
      if (!profile.localhostProfile) throw new ContainerConfigError('localhostProfile must be set if seccompProfile type is Localhost.');
      throw new ContainerConfigError(`seccomp profile type Localhost is not supported on this node (localhostProfile: ${goQuote(profile.localhostProfile)})`);
    default:
      // The kubelet treats any other type as unconfined.
      return 'Unconfined';
  }
}
