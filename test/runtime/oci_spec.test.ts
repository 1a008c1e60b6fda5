import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { sandboxSpec } from '../../src/agent/runtime/oci/sandbox_spec.ts';
import { readHostHardLimits } from '../../src/agent/runtime/oci/host_limits.ts';
import type { ContainerConfig, PodSandboxConfig } from '../../src/agent/runtime/runtime.ts';
import { specOf } from './spec_input.ts';

const pod: PodSandboxConfig = {
  metadata: { name: 'web', uid: 'u1', namespace: 'default', attempt: 0 }, logDirectory: '/var/log/pods/x',
};
const app: ContainerConfig = {
  metadata: { name: 'app', attempt: 0 }, rootfsPath: '/rootfs', command: ['/bin/sh'], args: ['-c', 'true'], logPath: 'app/0.log',
};

describe('sandboxSpec', () => {
  const spec = sandboxSpec({ config: pod, rootfsPath: '/infra', cgroupsPath: '/peapod/pod-1/1', hostLimits: { nofile: 20000 } });

  test('runs catatonit read-only as PID 1 of new namespaces with the pod name as hostname', () => {
    assert.deepEqual(spec.process.args, ['/usr/bin/catatonit', '-P']);
    assert.deepEqual(spec.root, { path: '/infra', readonly: true });
    assert.equal(spec.hostname, 'web');
    assert.deepEqual(spec.linux.namespaces.map((n) => n.type).sort(), ['ipc', 'mount', 'network', 'pid', 'uts']);
    assert.ok(spec.linux.namespaces.every((n) => n.path === undefined));
    assert.equal(spec.linux.cgroupsPath, '/peapod/pod-1/1');
  });

  test('an explicit hostname wins over the pod name', () => {
    assert.equal(sandboxSpec({ config: { ...pod, hostname: 'h' }, rootfsPath: '/i', cgroupsPath: '/c', hostLimits: { nofile: 10 } }).hostname, 'h');
  });
});

describe('containerSpec', () => {
  const spec = specOf(app);

  test('resources become linux.resources: memory limit and swap, cpu shares, quota and period; none without them', () => {
    const limited = specOf({ ...app, resources: { cpuShares: 102, cpuQuota: 20_000, cpuPeriod: 100_000, memoryLimitInBytes: 1 << 26, memorySwapLimitInBytes: 1 << 26 } });
    assert.deepEqual(limited.linux.resources, {
      devices: [{ allow: false, access: 'rwm' }],
      memory: { limit: 1 << 26, swap: 1 << 26 },
      cpu: { shares: 102, quota: 20_000, period: 100_000 },
    });
    assert.deepEqual(spec.linux.resources, { devices: [{ allow: false, access: 'rwm' }] });
  });

  test('joins the sandbox network, IPC and UTS namespaces and owns PID and mount', () => {
    assert.deepEqual(spec.linux.namespaces, [
      { type: 'network', path: '/proc/42/ns/net' }, { type: 'ipc', path: '/proc/42/ns/ipc' },
      { type: 'uts', path: '/proc/42/ns/uts' }, { type: 'pid' }, { type: 'mount' },
    ]);
    assert.equal(spec.hostname, undefined, 'runc refuses a hostname without its own UTS namespace');
  });

  test('argv is command then args; PATH is supplied; cwd defaults to /', () => {
    assert.deepEqual(spec.process.args, ['/bin/sh', '-c', 'true']);
    assert.ok(spec.process.env[0]?.startsWith('PATH=/usr/local/sbin'));
    assert.equal(spec.process.cwd, '/');
    assert.deepEqual(spec.process.user, { uid: 0, gid: 0, additionalGids: [] });
  });

  test('env, user, workingDir and a read-only bind mount are carried over', () => {
    const s = specOf({
      ...app, env: [{ key: 'PATH', value: '/bin' }, { key: 'A', value: 'b=c' }], workingDir: '/w',
      user: { uid: 1000, gid: 1001, supplementalGroups: [5] }, mounts: [{ containerPath: '/data/', hostPath: '/h', readonly: true }],
    });
    assert.deepEqual(s.process.env, ['HOSTNAME=web', 'PATH=/bin', 'A=b=c']);
    assert.equal(s.process.cwd, '/w');
    assert.deepEqual(s.process.user, { uid: 1000, gid: 1001, additionalGids: [5] });
    assert.deepEqual(s.mounts.at(-1), { destination: '/data', type: 'bind', source: '/h', options: ['rbind', 'rprivate', 'ro'] });
  });

  test('runtime-default capabilities, masked and read-only kernel paths', () => {
    assert.ok(spec.process.capabilities.bounding.includes('CAP_NET_BIND_SERVICE'));
    assert.ok(!spec.process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
    assert.ok(spec.linux.maskedPaths.includes('/proc/kcore'));
    assert.ok(spec.linux.readonlyPaths.includes('/proc/sys'));
  });

  test('no rlimit above the host hard limit', () => {
    assert.deepEqual(spec.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 20000, soft: 20000 }]);
    const roomy = specOf(app, { hostLimits: { nofile: Number.MAX_SAFE_INTEGER } });
    assert.deepEqual(roomy.process.rlimits, [{ type: 'RLIMIT_NOFILE', hard: 1048576, soft: 1048576 }]);
  });

  test('an empty command or a relative mount path is rejected', () => {
    assert.throws(() => specOf({ ...app, command: [], args: [] }), /no command/);
    assert.throws(() => specOf({ ...app, mounts: [{ containerPath: 'data', hostPath: '/h' }] }), /must be absolute/);
  });
});

test('readHostHardLimits parses /proc/self/limits', () => {
  const text = 'Limit                     Soft Limit           Hard Limit           Units\nMax open files            1024                 20000                files\n';
  assert.deepEqual(readHostHardLimits(text), { nofile: 20000 });
  assert.deepEqual(readHostHardLimits('Max open files            unlimited            unlimited            files\n'), { nofile: Number.MAX_SAFE_INTEGER });
  assert.throws(() => readHostHardLimits('nothing'), /no "Max open files"/);
});
