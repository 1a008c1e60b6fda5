import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podSandboxConfig, namespaceOptions } from '../../src/agent/kuberuntime/sandbox_config.ts';
import { kernelHostname, podHostnameAndDomain } from '../../src/agent/kuberuntime/hostname.ts';
import { PodSandboxConfigError } from '../../src/agent/kuberuntime/errors.ts';
import { makePod } from './fixtures.ts';

const base = { logDirectory: '/var/log/pods/ns_web_uid-1', attempt: 2, nodeResolvConf: 'nameserver 10.0.0.2\nsearch corp.example\n', nodeHostname: 'node-a' };

describe('podSandboxConfig', () => {
  test('metadata, labels, annotations and log directory identify the pod', () => {
    const pod = makePod({}, { labels: { app: 'web' }, annotations: { note: 'x' } });
    const config = podSandboxConfig(pod, base);
    assert.deepEqual(config.metadata, { name: 'web', namespace: 'ns', uid: 'uid-1', attempt: 2 });
    assert.equal(config.logDirectory, base.logDirectory);
    assert.deepEqual(config.labels, {
      app: 'web', 'io.kubernetes.pod.name': 'web', 'io.kubernetes.pod.namespace': 'ns', 'io.kubernetes.pod.uid': 'uid-1',
    });
    assert.deepEqual(config.annotations, { note: 'x' });
  });

  test('the pod cgroup the caller made is the sandbox\'s cgroupParent', () => {
    assert.equal(podSandboxConfig(makePod(), { ...base, cgroupParent: '/peapod/kubepods/poduid-1' }).cgroupParent, '/peapod/kubepods/poduid-1');
    assert.equal('cgroupParent' in podSandboxConfig(makePod(), base), false);
  });

  test('the identifying labels win over pod labels of the same name', () => {
    const config = podSandboxConfig(makePod({}, { labels: { 'io.kubernetes.pod.name': 'spoof' } }), base);
    assert.equal(config.labels?.['io.kubernetes.pod.name'], 'web');
  });

  const hostnames: [string, Parameters<typeof makePod>[0], Parameters<typeof makePod>[1], string][] = [
    ['pod name', {}, {}, 'web'],
    ['spec.hostname', { hostname: 'box' }, {}, 'box'],
    ['long pod name cut to 63 without trailing dash', {}, { name: `${'a'.repeat(62)}-bbb` }, 'a'.repeat(62)],
    ['hostNetwork uses the node hostname', { hostNetwork: true, hostname: 'ignored' }, {}, 'node-a'],
    ['setHostnameAsFQDN with subdomain', { hostname: 'h', subdomain: 's', setHostnameAsFQDN: true }, {}, 'h.s.ns.svc.cluster.local'],
    ['setHostnameAsFQDN without subdomain', { setHostnameAsFQDN: true }, {}, 'web'],
  ];
  for (const [name, spec, meta, want] of hostnames) {
    test(`hostname: ${name}`, () => {
      assert.equal(podSandboxConfig(makePod(spec, meta), { ...base, clusterDomain: 'cluster.local' }).hostname, want);
    });
  }

  test('namespace options', () => {
    const cases: [Parameters<typeof makePod>[0], ReturnType<typeof namespaceOptions>][] = [
      [{}, { network: 'pod', ipc: 'pod', pid: 'container' }],
      [{ hostNetwork: true }, { network: 'node', ipc: 'pod', pid: 'container' }],
      [{ hostIPC: true }, { network: 'pod', ipc: 'node', pid: 'container' }],
      [{ hostPID: true, shareProcessNamespace: true }, { network: 'pod', ipc: 'pod', pid: 'node' }],
      [{ shareProcessNamespace: true }, { network: 'pod', ipc: 'pod', pid: 'pod' }],
    ];
    for (const [spec, want] of cases) assert.deepEqual(podSandboxConfig(makePod(spec), base).namespaceOptions, want);
  });

  test('dnsConfig is formed and warnings are reported', () => {
    const warnings: string[] = [];
    const config = podSandboxConfig(makePod(), { ...base, onWarning: (w) => warnings.push(w.reason) });
    assert.deepEqual(config.dnsConfig, { servers: ['10.0.0.2'], searches: ['corp.example'], options: [] });
    assert.deepEqual(warnings, ['MissingClusterDNS']);
  });
});

describe('podHostnameAndDomain', () => {
  test('subdomain gives SUB.NS.svc.DOMAIN', () => {
    assert.deepEqual(podHostnameAndDomain(makePod({ subdomain: 'svc1' }), 'cluster.local'), { hostname: 'web', domain: 'svc1.ns.svc.cluster.local' });
  });

  const errors: [string, Parameters<typeof makePod>[0], Parameters<typeof makePod>[1], string][] = [
    ['invalid hostname', { hostname: 'Bad_Name' }, {},
      `pod Hostname "Bad_Name" is not a valid DNS label: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    ['invalid subdomain', { subdomain: 'a.b' }, {},
      `pod Subdomain "a.b" is not a valid DNS label: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    ['name that truncates to nothing', {}, { name: '-'.repeat(70) }, `hostname for pod "${'-'.repeat(70)}" was invalid: "${'-'.repeat(70)}"`],
  ];
  for (const [name, spec, meta, message] of errors) {
    test(name, () => {
      assert.throws(() => podHostnameAndDomain(makePod(spec, meta), 'cluster.local'), (err: unknown) =>
        err instanceof PodSandboxConfigError && err.reason === 'FailedCreatePodSandBox' && err.message === message);
    });
  }

  test('an FQDN longer than 64 characters is refused', () => {
    const name = { hostname: 'h'.repeat(50), domain: 's.ns.svc.cluster.local' };
    assert.throws(() => kernelHostname(name, true), (e: unknown) => e instanceof PodSandboxConfigError && e.message ===
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${'h'.repeat(50)}.s.ns.svc.cluster.local is too long (64 characters is the max, 73 characters requested)`);
    assert.equal(kernelHostname(name, false), 'h'.repeat(50));
  });
});
