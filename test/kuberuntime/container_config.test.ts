import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { containerConfig, containerLogPath } from '../../src/agent/kuberuntime/container_config.ts';
import { containerType, hashContainer } from '../../src/agent/kuberuntime/labels.ts';
import { makeImage, makePod } from './fixtures.ts';

const image = makeImage({ Entrypoint: ['/bin/server'], Env: ['PATH=/bin'], User: '1000' });

describe('containerConfig', () => {
  test('puts the parts together', () => {
    const pod = makePod({
      terminationGracePeriodSeconds: 30,
      containers: [{
        name: 'app', image: 'busybox', args: ['--port=$(PORT)'],
        ports: [{ containerPort: 8080, protocol: 'TCP', name: 'http' }],
        lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } },
        resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
      }],
    }, { deletionGracePeriodSeconds: 5 });
    const container = pod.spec!.containers[0]!;
    const config = containerConfig({
      pod, container, attempt: 3, image, rootfsPath: '/rootfs', env: [{ key: 'PORT', value: '8080' }],
      mounts: [{ containerPath: '/data', hostPath: '/host/data' }], logPath: containerLogPath('app', 3),
      users: { users: [{ name: 'app', uid: 1000, gid: 1000 }], groups: [] },
    });
    assert.deepEqual(config, {
      metadata: { name: 'app', attempt: 3 },
      rootfsPath: '/rootfs',
      command: ['/bin/server'],
      args: ['--port=8080'],
      env: [{ key: 'PATH', value: '/bin' }, { key: 'PORT', value: '8080' }],
      mounts: [{ containerPath: '/data', hostPath: '/host/data' }],
      user: { uid: 1000, gid: 1000, supplementalGroups: [1000] },
      security: { privileged: false, readonlyRootfs: false, noNewPrivileges: false, seccomp: 'RuntimeDefault' },
      resources: { cpuShares: 256, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimitInBytes: 128 * 1024 * 1024, memorySwapLimitInBytes: 128 * 1024 * 1024 },
      logPath: 'app/3.log',
      labels: {
        'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.uid': 'uid-1', 'io.kubernetes.container.name': 'app',
      },
      annotations: {
        'io.kubernetes.container.hash': hashContainer(container),
        'io.kubernetes.container.restartCount': '3',
        'io.kubernetes.container.terminationMessagePath': '/dev/termination-log',
        'io.kubernetes.container.terminationMessagePolicy': 'File',
        'io.kubernetes.pod.deletionGracePeriod': '5',
        'io.kubernetes.pod.terminationGracePeriod': '30',
        'io.kubernetes.container.preStopHandler': '{"exec":{"command":["sleep","1"]}}',
        'io.kubernetes.container.ports': '[{"name":"http","containerPort":8080,"protocol":"TCP"}]',
        'io.kubernetes.container.type': 'container',
      },
    });
  });

  test('workingDir and termination message settings pass through', () => {
    const pod = makePod({ containers: [{ name: 'app', workingDir: '/w', terminationMessagePath: '/tmp/msg', terminationMessagePolicy: 'FallbackToLogsOnError' }] });
    const config = containerConfig({ pod, container: pod.spec!.containers[0]!, attempt: 0, image, rootfsPath: '/r', env: [], mounts: [], logPath: 'app/0.log' });
    assert.equal(config.workingDir, '/w');
    assert.equal(config.annotations?.['io.kubernetes.container.terminationMessagePath'], '/tmp/msg');
    assert.equal(config.annotations?.['io.kubernetes.container.terminationMessagePolicy'], 'FallbackToLogsOnError');
    assert.equal(config.annotations?.['io.kubernetes.pod.terminationGracePeriod'], undefined);
  });

  test('the image\'s STOPSIGNAL becomes the stop signal; one that names no signal is CreateContainerError', () => {
    const pod = makePod({ containers: [{ name: 'app' }] });
    const build = (StopSignal: string) => containerConfig({ pod, container: pod.spec!.containers[0]!, attempt: 0, image: makeImage({ Cmd: ['x'], StopSignal }), rootfsPath: '/r', env: [], mounts: [], logPath: 'app/0.log' });
    assert.deepEqual(['SIGQUIT', 'quit', '3', ' SIGUSR1 '].map((s) => build(s).stopSignal), ['SIGQUIT', 'SIGQUIT', 'SIGQUIT', 'SIGUSR1']);
    assert.equal(build('').stopSignal, undefined);
    assert.throws(() => build('SIGNOPE'), { name: 'CreateContainerError', message: 'failed to parse stop signal: unsupported signal "SIGNOPE"' });
  });

  test('container type and hash', () => {
    const pod = makePod({
      initContainers: [{ name: 'init' }], containers: [{ name: 'app' }], ephemeralContainers: [{ name: 'debug' }],
    });
    assert.deepEqual(['init', 'app', 'debug', 'none'].map((n) => containerType(pod, n)), ['init', 'container', 'ephemeral', undefined]);
    const a = hashContainer({ name: 'app', image: 'busybox:1' });
    assert.match(a, /^[0-9a-f]{1,8}$/);
    assert.equal(hashContainer({ name: 'app', image: 'busybox:1', args: ['x'] }), a, 'only name and image count');
    assert.notEqual(hashContainer({ name: 'app', image: 'busybox:2' }), a);
  });
});
