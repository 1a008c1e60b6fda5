import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConfigMap, Container, EnvVar, Secret } from 'kubernetes-types/core/v1.d.ts';
import { makeEnvironmentVariables, type EnvContext, type EnvSources } from '../../src/agent/kuberuntime/env.ts';
import { ContainerConfigError } from '../../src/agent/kuberuntime/errors.ts';
import { withContainer } from './fixtures.ts';

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const context: EnvContext = {
  podIP: '10.1.0.5', podIPs: ['10.1.0.5', 'fd00::5'], hostIP: '192.168.1.10', hostIPs: ['192.168.1.10', 'fd01::10'],
  nodeName: 'node-a', nodeAllocatable: { cpu: '4', memory: '8Gi' },
};

function sources(configMaps: Record<string, Record<string, string>>, secrets: Record<string, Record<string, string>> = {}): EnvSources & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    async getConfigMap(ns, name): Promise<ConfigMap | undefined> {
      calls.push(`cm ${ns}/${name}`);
      return configMaps[name] === undefined ? undefined : { metadata: { name, namespace: ns }, data: configMaps[name] };
    },
    async getSecret(ns, name): Promise<Secret | undefined> {
      calls.push(`secret ${ns}/${name}`);
      const data = secrets[name];
      return data === undefined ? undefined : { metadata: { name, namespace: ns }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) };
    },
  };
}

async function envOf(container: Partial<Container>, src: EnvSources = sources({}), spec = {}, meta = {}): Promise<Record<string, string>> {
  const { pod, container: c } = withContainer(container, spec, meta);
  const list = await makeEnvironmentVariables(pod, c, context, src);
  return Object.fromEntries(list.map((kv) => [kv.key, kv.value]));
}

async function rejects(container: Partial<Container>, src: EnvSources, message: string): Promise<void> {
  const { pod, container: c } = withContainer(container);
  await assert.rejects(makeEnvironmentVariables(pod, c, context, src), (e: unknown) =>
    e instanceof ContainerConfigError && e.reason === 'CreateContainerConfigError' && e.message === message);
}

describe('makeEnvironmentVariables', () => {
  test('values are expanded against earlier definitions; unknown references stay', async () => {
    assert.deepEqual(await envOf({ env: [
      { name: 'A', value: 'a' }, { name: 'B', value: '$(A)-$(C)' }, { name: 'C', value: 'c' }, { name: 'D', value: '$$(A)' }, { name: 'E' },
    ] }), { A: 'a', B: 'a-$(C)', C: 'c', D: '$(A)', E: '' });
  });

  test('envFrom with prefix, env overrides envFrom, first definition keeps its place, keys are not filtered', async () => {
    const src = sources({ cm: { HOST: 'h', 'dotted.key': 'x', '1digit': 'y' } }, { s: { PASS: 'p' } });
    const { pod, container } = withContainer({
      envFrom: [{ configMapRef: { name: 'cm' } }, { prefix: 'S_', secretRef: { name: 's' } }],
      env: [{ name: 'HOST', value: 'override-$(S_PASS)' }, { name: 'NEW', value: 'n' }, { name: 'NEW', value: 'n2' }],
    });
    const list = await makeEnvironmentVariables(pod, container, context, src);
    assert.deepEqual(list, [
      { key: 'HOST', value: 'override-p' }, { key: 'dotted.key', value: 'x' }, { key: '1digit', value: 'y' },
      { key: 'S_PASS', value: 'p' }, { key: 'NEW', value: 'n2' },
    ]);
  });

  test('each referenced object is fetched once', async () => {
    const src = sources({ cm: { a: '1', b: '2' } });
    await envOf({ envFrom: [{ configMapRef: { name: 'cm' } }], env: [
      { name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'a' } } },
      { name: 'Y', valueFrom: { configMapKeyRef: { name: 'cm', key: 'b' } } },
    ] }, src);
    assert.deepEqual(src.calls, ['cm ns/cm']);
  });

  test('configMapKeyRef and secretKeyRef, optional ones skipped when missing', async () => {
    const src = sources({ cm: { k: 'v' } }, { s: { token: 'secret value' } });
    assert.deepEqual(await envOf({ env: [
      { name: 'CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } },
      { name: 'SEC', valueFrom: { secretKeyRef: { name: 's', key: 'token' } } },
      { name: 'OPT_KEY', valueFrom: { configMapKeyRef: { name: 'cm', key: 'nope', optional: true } } },
      { name: 'OPT_CM', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } },
      { name: 'OPT_SKEY', valueFrom: { secretKeyRef: { name: 's', key: 'nope', optional: true } } },
      { name: 'OPT_S', valueFrom: { secretKeyRef: { name: 'gone', key: 'k', optional: true } } },
    ], envFrom: [{ configMapRef: { name: 'gone', optional: true } }, { secretRef: { name: 'gone', optional: true } }] }, src),
    { CM: 'v', SEC: 'secret value' });
  });

  const missing: [string, Partial<Container>, string][] = [
    ['configMapKeyRef to a missing configmap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }, 'configmap "cm" not found'],
    ['configMapKeyRef to a missing key', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'have', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns/have"],
    ['secretKeyRef to a missing secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, 'secret "s" not found'],
    ['secretKeyRef to a missing key', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'have', key: 'k' } } }] }, "couldn't find key k in Secret ns/have"],
    ['envFrom a missing configmap', { envFrom: [{ configMapRef: { name: 'cm' } }] }, 'configmap "cm" not found'],
    ['envFrom a missing secret', { envFrom: [{ secretRef: { name: 's' } }] }, 'secret "s" not found'],
  ];
  for (const [name, container, message] of missing) {
    test(name, () => rejects(container, sources({ have: {} }, { have: {} }), message));
  }

  test('fieldRef paths', async () => {
    const field = (name: string, fieldPath: string): EnvVar => ({ name, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath } } });
    assert.deepEqual(await envOf({ env: [
      field('NAME', 'metadata.name'), field('NS', 'metadata.namespace'), field('UID', 'metadata.uid'),
      field('LABEL', "metadata.labels['app']"), field('ANN', "metadata.annotations['note']"), field('NOLABEL', "metadata.labels['x']"),
      field('LABELS', 'metadata.labels'), field('NODE', 'spec.nodeName'), field('HOST', 'spec.host'), field('SA', 'spec.serviceAccountName'),
      field('HOSTIP', 'status.hostIP'), field('HOSTIPS', 'status.hostIPs'), field('PODIP', 'status.podIP'), field('PODIPS', 'status.podIPs'),
    ] }, sources({}), { serviceAccountName: 'robot' }, { labels: { app: 'web', tier: 'fe' }, annotations: { note: 'hi' } }), {
      NAME: 'web', NS: 'ns', UID: 'uid-1', LABEL: 'web', ANN: 'hi', NOLABEL: '', LABELS: 'app="web"\ntier="fe"',
      NODE: 'node-a', HOST: 'node-a', SA: 'robot',
      HOSTIP: '192.168.1.10', HOSTIPS: '192.168.1.10,fd01::10', PODIP: '10.1.0.5', PODIPS: '10.1.0.5,fd00::5',
    });
  });

  const fieldErrors: [string, EnvVar, string][] = [
    ['unsupported version', { name: 'X', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }, 'unsupported pod version: v2'],
    ['unsupported label', { name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.dnsPolicy' } } }, 'field label not supported: spec.dnsPolicy'],
    ['subscript on a plain field', { name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.name['a']" } } }, "field label does not support subscript: metadata.name['a']"],
    ['supported label without a value', { name: 'X', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }, 'unsupported fieldPath: status.phase'],
    ['invalid subscript key', { name: 'X', valueFrom: { fieldRef: { fieldPath: "metadata.labels['-bad']" } } },
      "invalid key subscript in metadata.labels['-bad']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
    ['unsupported resource', { name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }, 'unsupported container resource : limits.gpu'],
    ['resource of an unknown container', { name: 'X', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', containerName: 'other' } } }, 'container other not found'],
  ];
  for (const [name, envVar, message] of fieldErrors) {
    test(`fieldRef error: ${name}`, () => rejects({ env: [envVar] }, sources({}), message));
  }

  test('resourceFieldRef: divisors round up; missing limits default to node allocatable', async () => {
    const res = (name: string, resource: string, divisor?: string, containerName?: string): EnvVar =>
      ({ name, valueFrom: { resourceFieldRef: { resource, divisor, containerName } } });
    assert.deepEqual(await envOf({
      resources: { limits: { cpu: '250m', memory: '100Mi' }, requests: { cpu: '100m' } },
      env: [
        res('CPU', 'limits.cpu'), res('CPU_M', 'limits.cpu', '1m'), res('MEM', 'limits.memory'), res('MEM_MI', 'limits.memory', '1Mi'),
        res('MEM_GI', 'limits.memory', '1Gi'), res('REQ_CPU_M', 'requests.cpu', '1m'), res('REQ_MEM', 'requests.memory'),
        res('EPH', 'limits.ephemeral-storage'),
      ],
    }), { CPU: '1', CPU_M: '250', MEM: String(100 * 1024 * 1024), MEM_MI: '100', MEM_GI: '1', REQ_CPU_M: '100', REQ_MEM: '0', EPH: '0' });

    assert.deepEqual(await envOf({ env: [res('CPU', 'limits.cpu'), res('MEM_GI', 'limits.memory', '1Gi')] }), { CPU: '4', MEM_GI: '8' });
  });

  test('resourceFieldRef by container name; init containers keep missing limits', async () => {
    const { pod, container } = withContainer({ env: [
      { name: 'SIDE', valueFrom: { resourceFieldRef: { containerName: 'side', resource: 'limits.cpu', divisor: '1m' } } },
      { name: 'INIT', valueFrom: { resourceFieldRef: { containerName: 'init', resource: 'limits.cpu', divisor: '1m' } } },
    ] }, { initContainers: [{ name: 'init', image: 'x' }] });
    pod.spec!.containers.push({ name: 'side', image: 'x', resources: { limits: { cpu: '1500m' } } });
    const list = await makeEnvironmentVariables(pod, container, context, sources({}));
    assert.deepEqual(list, [{ key: 'SIDE', value: '1500' }, { key: 'INIT', value: '0' }]);
  });

  test('service variables feed expansion and fill in what the container leaves undefined', async () => {
    const { pod, container } = withContainer({ env: [{ name: 'URL', value: 'https://$(KUBERNETES_SERVICE_HOST)' }, { name: 'KUBERNETES_PORT', value: 'mine' }] });
    const list = await makeEnvironmentVariables(pod, container, { ...context, serviceEnv: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_PORT: 'tcp://10.96.0.1:443' } }, sources({}));
    assert.deepEqual(list, [{ key: 'URL', value: 'https://10.96.0.1' }, { key: 'KUBERNETES_PORT', value: 'mine' }, { key: 'KUBERNETES_SERVICE_HOST', value: '10.96.0.1' }]);
  });
});
