import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { ContainerConfigError as KubeRuntimeConfigError } from '../../src/agent/kuberuntime/errors.ts';
import { containerMounts, ContainerConfigError } from '../../src/agent/volumes/index.ts';
import { mountedFsType, mountsUnder } from '../../src/agent/volumes/mount.ts';
import { context, harness, makePod, type Harness } from './fixtures.ts';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const container = (volumeMounts: Container['volumeMounts']): Container => ({ name: 'app', image: 'busybox', volumeMounts });

async function setUpScratch() {
  h.sources.addConfigMap('cfg', { 'app.conf': 'conf' });
  const pod = makePod({ volumes: [{ name: 'scratch', emptyDir: {} }, { name: 'config', configMap: { name: 'cfg' } }] });
  return { pod, volumes: await h.manager.setUp(pod, context) };
}

describe('container mounts', () => {
  test('whole volumes: container paths, readOnly from the mount or the volume', async () => {
    const { pod, volumes } = await setUpScratch();
    const mounts = await containerMounts(pod, container([
      { name: 'scratch', mountPath: '/data' },
      { name: 'scratch', mountPath: 'ro', readOnly: true },
      { name: 'config', mountPath: '/etc/app' },
    ]), volumes, {});
    assert.deepEqual(mounts, [
      { containerPath: '/data', hostPath: volumes.volumes.get('scratch')!.path, readonly: false },
      { containerPath: '/ro', hostPath: volumes.volumes.get('scratch')!.path, readonly: true },
      { containerPath: '/etc/app', hostPath: volumes.volumes.get('config')!.path, readonly: true },
    ]);
  });

  test('an unknown volume is a config error', async () => {
    const { pod, volumes } = await setUpScratch();
    await assert.rejects(() => containerMounts(pod, container([{ name: 'nope', mountPath: '/x' }]), volumes, {}),
      new ContainerConfigError('cannot find volume "nope" to mount into container "app"'));
  });

  test('subPath: created with the volume mode, bind-mounted under volume-subpaths', async () => {
    const { pod, volumes } = await setUpScratch();
    const scratch = volumes.volumes.get('scratch')!.path;
    const [mount] = await containerMounts(pod, container([{ name: 'scratch', mountPath: '/logs', subPath: 'logs/app' }]), volumes, {});
    const target = join(h.rootDir, 'uid-1', 'volume-subpaths', 'scratch', 'app', '0');
    assert.deepEqual(mount, { containerPath: '/logs', hostPath: target, readonly: false });
    assert.equal(statSync(join(scratch, 'logs/app')).mode & 0o7777, 0o777);
    assert.ok(mountedFsType(target) !== undefined);
    writeFileSync(join(target, 'x'), 'through the bind');
    assert.equal(readFileSync(join(scratch, 'logs/app/x'), 'utf8'), 'through the bind');
    // Again (a restarted container): one bind, not two.
    await containerMounts(pod, container([{ name: 'scratch', mountPath: '/logs', subPath: 'logs/app' }]), volumes, {});
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.split(' ')[4] === target).length, 1);
  });

  test('subPath of a configMap key follows the links inside the volume to the file', async () => {
    const { pod, volumes } = await setUpScratch();
    const [mount] = await containerMounts(pod, container([{ name: 'config', mountPath: '/etc/app.conf', subPath: 'app.conf' }]), volumes, {});
    assert.equal(readFileSync(mount!.hostPath, 'utf8'), 'conf');
    assert.equal(mount!.readonly, true);
  });

  test('subPathExpr expands the container env; missing values are refused', async () => {
    const { pod, volumes } = await setUpScratch();
    const [mount] = await containerMounts(pod, container([{ name: 'scratch', mountPath: '/out', subPathExpr: 'pods/$(POD_NAME)' }]), volumes, { POD_NAME: 'web-1' });
    assert.ok(existsSync(join(volumes.volumes.get('scratch')!.path, 'pods/web-1')));
    assert.ok(mountedFsType(mount!.hostPath) !== undefined);
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/o', subPathExpr: '$(B)/$(A)/$(C)' }]), volumes, { C: 'c', A: '' }),
      new ContainerConfigError('missing value for A, B'));
    // What the pod worker reports as CreateContainerConfigError, with no re-wrapping.
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/o', subPathExpr: '$(B)' }]), volumes, {}),
      (err) => err instanceof KubeRuntimeConfigError && err.reason === 'CreateContainerConfigError');
  });

  test('absolute and backstepping subPaths are refused with the kubelet messages', async () => {
    const { pod, volumes } = await setUpScratch();
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: '/etc' }]), volumes, {}),
      new ContainerConfigError('error SubPath `/etc` must not be an absolute path'));
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: 'a/../../etc' }]), volumes, {}),
      new ContainerConfigError("unable to provision SubPath `a/../../etc`: must not contain '..'"));
  });

  test('a symlink out of the volume is refused, existing or dangling', async () => {
    const { pod, volumes } = await setUpScratch();
    const scratch = volumes.volumes.get('scratch')!.path;
    const outside = join(h.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(scratch, 'escape'));
    symlinkSync(join(h.dir, 'missing'), join(scratch, 'dangling'));
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: 'escape' }]), volumes, {}),
      new ContainerConfigError('failed to prepare subPath for volumeMount "scratch" of container "app"'));
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: 'escape/made' }]), volumes, {}),
      new ContainerConfigError('failed to create subPath directory for volumeMount "scratch" of container "app"'));
    await assert.rejects(() => containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: 'dangling/made' }]), volumes, {}),
      new ContainerConfigError('failed to create subPath directory for volumeMount "scratch" of container "app"'));
    assert.equal(existsSync(join(outside, 'made')), false);
    assert.equal(existsSync(join(h.dir, 'missing')), false);
    // A symlink that stays inside the volume is fine.
    mkdirSync(join(scratch, 'real'));
    symlinkSync('real', join(scratch, 'inside'));
    const [mount] = await containerMounts(pod, container([{ name: 'scratch', mountPath: '/x', subPath: 'inside' }]), volumes, {});
    writeFileSync(join(mount!.hostPath, 'f'), '');
    assert.ok(existsSync(join(scratch, 'real/f')));
  });

  test('tearDown unmounts subPath binds before removing anything (a hostPath survives)', async () => {
    const host = join(h.dir, 'host');
    mkdirSync(join(host, 'keep'), { recursive: true });
    writeFileSync(join(host, 'keep/file'), 'precious');
    const pod = makePod({ volumes: [{ name: 'host', hostPath: { path: host } }] });
    const volumes = await h.manager.setUp(pod, context);
    await containerMounts(pod, container([{ name: 'host', mountPath: '/k', subPath: 'keep' }]), volumes, {});
    assert.equal(mountsUnder(join(h.rootDir, 'uid-1')).length, 1);
    await h.manager.tearDown('uid-1');
    assert.equal(readFileSync('/proc/self/mountinfo', 'utf8').includes(join(h.rootDir, 'uid-1')), false);
    assert.equal(existsSync(join(h.rootDir, 'uid-1')), false);
    assert.equal(readFileSync(join(host, 'keep/file'), 'utf8'), 'precious');
  });
});
