import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, PodSecurityContext } from 'kubernetes-types/core/v1.d.ts';
import { containerSecurity } from '../../src/agent/kuberuntime/security.ts';
import { ContainerConfigError, CreateContainerError } from '../../src/agent/kuberuntime/errors.ts';
import { parseGroup, parsePasswd, readImageUsers, type ImageUsers } from '../../src/agent/kuberuntime/passwd.ts';
import { makeImage, withContainer } from './fixtures.ts';

const users: ImageUsers = {
  users: parsePasswd('root:x:0:0:root:/root:/bin/sh\n# comment\napp:x:1000:1001::/home/app:/bin/sh\nnobody:x:65534:65534::/:/sbin/nologin\n'),
  groups: parseGroup('root:x:0:\napp:x:1001:app\nwheel:x:10:app,other\naudio:x:29:other\n'),
};

function identity(sc: Container['securityContext'], podSc: PodSecurityContext | undefined, imageUser?: string, u: ImageUsers | undefined = users) {
  const { pod, container } = withContainer({ securityContext: sc }, { securityContext: podSc });
  return containerSecurity(pod, container, makeImage(imageUser === undefined ? {} : { User: imageUser }), u);
}

describe('container user', () => {
  const cases: [string, Container['securityContext'], PodSecurityContext | undefined, string | undefined, { uid: number; gid: number; supplementalGroups: number[] }][] = [
    ['no user anywhere: root', undefined, undefined, undefined, { uid: 0, gid: 0, supplementalGroups: [0] }],
    ['numeric image user: primary group from passwd, memberships from group', undefined, undefined, '1000', { uid: 1000, gid: 1001, supplementalGroups: [1001, 10] }],
    ['image user:group: the group is ignored as in Kubernetes', undefined, undefined, '1000:50', { uid: 1000, gid: 1001, supplementalGroups: [1001, 10] }],
    ['image user name resolves', undefined, undefined, 'app', { uid: 1000, gid: 1001, supplementalGroups: [1001, 10] }],
    ['uid unknown to passwd: gid 0', undefined, undefined, '4242', { uid: 4242, gid: 0, supplementalGroups: [0] }],
    ['pod runAsUser over the image', undefined, { runAsUser: 65534 }, '1000', { uid: 65534, gid: 65534, supplementalGroups: [65534] }],
    ['container runAsUser over the pod', { runAsUser: 1000 }, { runAsUser: 65534 }, undefined, { uid: 1000, gid: 1001, supplementalGroups: [1001, 10] }],
    ['runAsGroup, fsGroup and supplementalGroups', { runAsGroup: 3000 }, { runAsUser: 4000, fsGroup: 2000, supplementalGroups: [5000, 2000] }, undefined,
      { uid: 4000, gid: 3000, supplementalGroups: [3000, 2000, 5000] }],
    ['container runAsGroup over the pod', { runAsGroup: 7 }, { runAsUser: 1000, runAsGroup: 8 }, undefined, { uid: 1000, gid: 7, supplementalGroups: [7, 10] }],
  ];
  for (const [name, sc, podSc, imageUser, want] of cases) {
    test(name, () => assert.deepEqual(identity(sc, podSc, imageUser).user, want));
  }

  test('an image user name that passwd lacks cannot run', () => {
    assert.throws(() => identity(undefined, undefined, 'ghost'), (e: unknown) =>
      e instanceof CreateContainerError && e.message === 'unable to find user ghost: no matching entries in passwd file');
    const { pod, container } = withContainer({});
    assert.throws(() => containerSecurity(pod, container, makeImage({ User: 'app' })), CreateContainerError);
  });
});

describe('runAsNonRoot', () => {
  const where = '(pod: "web_ns(uid-1)", container: app)';
  const refused: [string, Container['securityContext'], PodSecurityContext | undefined, string | undefined, string][] = [
    ['image without user', undefined, { runAsNonRoot: true }, undefined, `container has runAsNonRoot and image will run as root ${where}`],
    ['image user 0:0', { runAsNonRoot: true }, undefined, '0:0', `container has runAsNonRoot and image will run as root ${where}`],
    ['image user name', { runAsNonRoot: true }, undefined, 'app',
      `container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root ${where}`],
    ['runAsUser 0', { runAsNonRoot: true }, { runAsUser: 0 }, '1000', `container's runAsUser breaks non-root policy ${where}`],
  ];
  for (const [name, sc, podSc, imageUser, message] of refused) {
    test(`refused: ${name}`, () => {
      assert.throws(() => identity(sc, podSc, imageUser), (e: unknown) =>
        e instanceof ContainerConfigError && e.reason === 'CreateContainerConfigError' && e.message === message);
    });
  }

  const allowed: [string, Container['securityContext'], PodSecurityContext | undefined, string | undefined][] = [
    ['numeric non-root image user', { runAsNonRoot: true }, undefined, '1000'],
    ['runAsUser non-root over a root image', undefined, { runAsNonRoot: true, runAsUser: 1000 }, undefined],
    ['container runAsNonRoot false over the pod', { runAsNonRoot: false }, { runAsNonRoot: true }, undefined],
  ];
  for (const [name, sc, podSc, imageUser] of allowed) {
    test(`allowed: ${name}`, () => assert.doesNotThrow(() => identity(sc, podSc, imageUser)));
  }
});

describe('container security', () => {
  test('defaults', () => {
    assert.deepEqual(identity(undefined, undefined).security, { privileged: false, readonlyRootfs: false, noNewPrivileges: false, seccomp: 'RuntimeDefault' });
  });

  test('privileged, capabilities, read-only rootfs, no privilege escalation', () => {
    assert.deepEqual(identity({
      privileged: true, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
    }, undefined).security, {
      privileged: true, readonlyRootfs: true, noNewPrivileges: true, seccomp: 'Unconfined', capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] },
    });
  });

  test('allowPrivilegeEscalation true leaves noNewPrivileges off', () => {
    assert.equal(identity({ allowPrivilegeEscalation: true }, undefined).security.noNewPrivileges, false);
  });

  const seccomp: [string, Container['securityContext'], PodSecurityContext | undefined, string][] = [
    ['pod Unconfined', undefined, { seccompProfile: { type: 'Unconfined' } }, 'Unconfined'],
    ['container RuntimeDefault over pod Unconfined', { seccompProfile: { type: 'RuntimeDefault' } }, { seccompProfile: { type: 'Unconfined' } }, 'RuntimeDefault'],
    ['container Unconfined over pod RuntimeDefault', { seccompProfile: { type: 'Unconfined' } }, { seccompProfile: { type: 'RuntimeDefault' } }, 'Unconfined'],
  ];
  for (const [name, sc, podSc, want] of seccomp) {
    test(`seccomp: ${name}`, () => assert.equal(identity(sc, podSc).security.seccomp, want));
  }

  test('seccomp Localhost is refused', () => {
    assert.throws(() => identity({ seccompProfile: { type: 'Localhost', localhostProfile: 'p.json' } }, undefined), (e: unknown) =>
      e instanceof ContainerConfigError && e.message === 'seccomp profile type Localhost is not supported on this node (localhostProfile: "p.json")');
    assert.throws(() => identity(undefined, { seccompProfile: { type: 'Localhost' } }), (e: unknown) =>
      e instanceof ContainerConfigError && e.message === 'localhostProfile must be set if seccompProfile type is Localhost.');
  });
});

describe('readImageUsers', () => {
  test('reads passwd and group; symlinks out of the rootfs read as absent', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kuberuntime-users-'));
    try {
      await mkdir(join(root, 'a/etc'), { recursive: true });
      await writeFile(join(root, 'a/etc/passwd'), 'app:x:1000:1001::/:/bin/sh\n');
      await writeFile(join(root, 'a/etc/group'), 'app:x:1001:\n');
      assert.deepEqual(await readImageUsers(join(root, 'a')), { users: [{ name: 'app', uid: 1000, gid: 1001 }], groups: [{ name: 'app', gid: 1001, members: [] }] });

      await mkdir(join(root, 'b/etc'), { recursive: true });
      await symlink('/etc/passwd', join(root, 'b/etc/passwd'));
      await mkdir(join(root, 'c'));
      await symlink('/etc', join(root, 'c/etc'));
      assert.deepEqual(await readImageUsers(join(root, 'b')), { users: [], groups: [] });
      assert.deepEqual(await readImageUsers(join(root, 'c')), { users: [], groups: [] });
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
