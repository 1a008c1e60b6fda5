import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { capabilityMask, containerCapabilities } from '../../src/agent/runtime/oci/capabilities.ts';
import { containerNamespaces, sandboxNamespaces } from '../../src/agent/runtime/oci/namespaces.ts';
import { runtimeDefaultSeccomp } from '../../src/agent/runtime/oci/seccomp.ts';
import { sandboxSpec } from '../../src/agent/runtime/oci/sandbox_spec.ts';
import { resolvConf } from '../../src/agent/runtime/pod_files.ts';
import type { ContainerConfig } from '../../src/agent/runtime/runtime.ts';
import { specOf } from './spec_input.ts';

const app: ContainerConfig = { metadata: { name: 'app', attempt: 0 }, rootfsPath: '/rootfs', command: ['sh'], logPath: 'app/0.log' };

describe('namespaces', () => {
  test('host network: no net/uts namespace for the infra, none joined by containers, no hostname', () => {
    const options = { network: 'node', ipc: 'pod', pid: 'container' } as const;
    assert.deepEqual(sandboxNamespaces(options).map((n) => n.type), ['pid', 'ipc', 'mount']);
    assert.deepEqual(containerNamespaces(options, 7), [{ type: 'ipc', path: '/proc/7/ns/ipc' }, { type: 'pid' }, { type: 'mount' }]);
    const spec = sandboxSpec({
      config: { metadata: { name: 'p', uid: 'u', namespace: 'd', attempt: 0 }, logDirectory: '/l', namespaceOptions: options },
      rootfsPath: '/i', cgroupsPath: '/c', hostLimits: { nofile: 10 },
    });
    assert.equal(spec.hostname, undefined);
  });

  test('pid pod joins the infra PID namespace; pid node and ipc node use the node\'s', () => {
    assert.deepEqual(containerNamespaces({ network: 'pod', ipc: 'pod', pid: 'pod' }, 7).find((n) => n.type === 'pid'), { type: 'pid', path: '/proc/7/ns/pid' });
    const host = { network: 'pod', ipc: 'node', pid: 'node' } as const;
    assert.deepEqual(sandboxNamespaces(host).map((n) => n.type), ['network', 'uts', 'mount']);
    assert.deepEqual(containerNamespaces(host, 7).map((n) => n.type), ['network', 'uts', 'mount']);
  });
});

describe('pod files in the container spec', () => {
  test('/etc/hostname, /etc/resolv.conf and /dev/shm are the pod\'s, read-only files with a read-only rootfs', () => {
    const spec = specOf({ ...app, security: { readonlyRootfs: true } });
    const byDest = new Map(spec.mounts.map((m) => [m.destination, m]));
    assert.deepEqual(byDest.get('/etc/hostname'), { destination: '/etc/hostname', type: 'bind', source: '/s/hostname', options: ['rbind', 'rprivate', 'ro'] });
    assert.equal(byDest.get('/etc/resolv.conf')?.source, '/s/resolv.conf');
    assert.equal(byDest.get('/dev/shm')?.source, '/s/shm');
    assert.equal(spec.mounts.filter((m) => m.destination === '/dev/shm').length, 1);
    assert.equal(spec.root.readonly, true);
  });

  test('a caller mount of the same path wins', () => {
    const spec = specOf({ ...app, mounts: [{ containerPath: '/etc/resolv.conf', hostPath: '/mine' }] });
    assert.deepEqual(spec.mounts.filter((m) => m.destination === '/etc/resolv.conf').map((m) => m.source), ['/mine']);
  });

  test('resolv.conf text', () => {
    assert.equal(resolvConf({ servers: ['10.0.0.10'], searches: ['a.svc', 'svc'], options: ['ndots:5'] }),
      'search a.svc svc\nnameserver 10.0.0.10\noptions ndots:5\n');
    assert.equal(resolvConf({ servers: [], searches: [], options: [] }), '');
  });
});

describe('capabilities', () => {
  test('default set, as /proc/self/status shows it', () => {
    assert.equal(capabilityMask(containerCapabilities(undefined)), '00000000a80425fb');
  });

  test('add and drop, ALL first', () => {
    assert.deepEqual(containerCapabilities({ capabilities: { drop: ['ALL'] } }), []);
    assert.deepEqual(containerCapabilities({ capabilities: { drop: ['ALL'], add: ['net_admin'] } }), ['CAP_NET_ADMIN']);
    const all = containerCapabilities({ capabilities: { add: ['ALL'], drop: ['CHOWN'] } });
    assert.equal(all.length, 40);
    assert.ok(!all.includes('CAP_CHOWN'));
    assert.equal(capabilityMask(containerCapabilities({ capabilities: { add: ['NET_ADMIN'] } })), '00000000a80435fb');
    assert.throws(() => containerCapabilities({ capabilities: { add: ['FLY'] } }), /unknown capability "FLY"/);
  });
});

describe('security in the container spec', () => {
  test('defaults: runtime-default seccomp, no no_new_privs, masked paths, devices denied', () => {
    const spec = specOf(app);
    assert.equal(spec.linux.seccomp?.defaultAction, 'SCMP_ACT_ALLOW');
    assert.equal(spec.process.noNewPrivileges, false);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: false, access: 'rwm' }]);
    assert.ok(spec.mounts.find((m) => m.destination === '/sys')?.options.includes('ro'));
  });

  test('privileged: all capabilities, nothing masked, devices allowed, /sys writable, no seccomp', () => {
    const spec = specOf({ ...app, security: { privileged: true } });
    assert.equal(spec.process.capabilities.effective.length, 41);
    assert.deepEqual([spec.linux.maskedPaths, spec.linux.readonlyPaths], [[], []]);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: 'rwm' }]);
    assert.ok(!spec.mounts.find((m) => m.destination === '/sys')?.options.includes('ro'));
    assert.equal(spec.linux.seccomp, undefined);
  });

  test('noNewPrivileges and Unconfined', () => {
    const spec = specOf({ ...app, security: { noNewPrivileges: true, seccomp: 'Unconfined' } });
    assert.equal(spec.process.noNewPrivileges, true);
    assert.equal(spec.linux.seccomp, undefined);
  });
});

describe('runtimeDefaultSeccomp', () => {
  const denied = (caps: string[]): string[] => runtimeDefaultSeccomp(caps, 'x64').syscalls.filter((r) => r.args === undefined).flatMap((r) => r.names);

  test('denies the keyring, modules, mounts and namespaces without the capabilities', () => {
    const names = denied([]);
    for (const n of ['keyctl', 'add_key', 'request_key', 'init_module', 'mount', 'umount2', 'ptrace', 'reboot', 'kexec_load', 'swapon', 'setns', 'clone3']) {
      assert.ok(names.includes(n), n);
    }
    const profile = runtimeDefaultSeccomp([], 'x64');
    assert.deepEqual(profile.architectures, ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
    const unshare = profile.syscalls.filter((r) => r.names[0] === 'unshare');
    assert.equal(unshare.length, 7);
    assert.deepEqual(unshare.find((r) => r.args?.[0]?.value === 0x40000000)?.args, [{ index: 0, value: 0x40000000, valueTwo: 0x40000000, op: 'SCMP_CMP_MASKED_EQ' }]);
  });

  test('a capability lifts its rules; the keyring stays denied', () => {
    const names = denied(['CAP_SYS_ADMIN', 'CAP_SYS_PTRACE']);
    assert.ok(!names.includes('mount') && !names.includes('ptrace') && !names.includes('clone3'));
    assert.ok(names.includes('keyctl'));
    assert.equal(runtimeDefaultSeccomp(['CAP_SYS_ADMIN'], 'x64').syscalls.some((r) => r.names[0] === 'unshare'), false);
  });
});
