import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigMap, validateConfigMapUpdate } from '../../src/api/validation/configmap.ts';
import { validateEvent } from '../../src/api/validation/event.ts';
import { validateLease } from '../../src/api/validation/lease.ts';
import { validateNamespace, validateNamespaceStatusUpdate } from '../../src/api/validation/namespace.ts';
import { validateNode, validateNodeUpdate } from '../../src/api/validation/node.ts';
import { validateSecret, validateSecretUpdate } from '../../src/api/validation/secret.ts';
import { validateService } from '../../src/api/validation/service.ts';
import { validateServiceAccount } from '../../src/api/validation/serviceaccount.ts';
import { defaultService } from '../../src/api/defaults/service.ts';
import type { Service } from 'kubernetes-types/core/v1.d.ts';
import { messages } from './helpers.ts';

const meta = (name: string) => ({ name, namespace: 'default' });

test('namespaces: DNS label names, no namespace, phase follows deletion', () => {
  assert.deepEqual(validateNamespace({ metadata: { name: 'team-a' } }), []);
  assert.match(messages(validateNamespace({ metadata: { name: 'team.a' } }))[0]!, /^metadata\.name: Invalid value: "team\.a": a lowercase RFC 1123 label/);
  const old = { metadata: { name: 'a', resourceVersion: '1' }, status: { phase: 'Active' } };
  assert.deepEqual(messages(validateNamespaceStatusUpdate({ ...old, status: { phase: 'Terminating' } }, old)), [
    "status.Phase: Invalid value: \"Terminating\": may only be 'Active' if `deletionTimestamp` is empty",
  ]);
});

test('configmaps: keys, binaryData overlap, size, immutability', () => {
  assert.deepEqual(messages(validateConfigMap({ metadata: meta('c'), data: { 'a/b': 'x', k: 'v' }, binaryData: { k: 'AA==' } })), [
    "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    'data[k]: Invalid value: "k": duplicate of key present in binaryData',
  ]);
  assert.deepEqual(messages(validateConfigMap({ metadata: meta('c'), data: { big: 'x'.repeat(1024 * 1024 + 1) } })), [
    ': Too long: may not be more than 1048576 bytes',
  ]);
  const old = { metadata: { ...meta('c'), resourceVersion: '1' }, immutable: true, data: { a: '1' } };
  assert.deepEqual(messages(validateConfigMapUpdate({ ...old, data: { a: '2' } }, old)), [
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

test('secrets: required keys per type, immutable type', () => {
  assert.deepEqual(validateSecret({ metadata: meta('s'), type: 'Opaque', data: { a: 'YQ==' } }), []);
  assert.deepEqual(messages(validateSecret({ metadata: meta('s'), type: 'kubernetes.io/tls', data: {} })), [
    'data[tls.crt]: Required value',
    'data[tls.key]: Required value',
  ]);
  const old = { metadata: { ...meta('s'), resourceVersion: '1' }, type: 'Opaque' };
  assert.deepEqual(messages(validateSecretUpdate({ ...old, type: 'kubernetes.io/basic-auth', data: { username: 'dQ==' } }, old)), [
    'type: Invalid value: "kubernetes.io/basic-auth": field is immutable',
  ]);
});

test('services: ports named when several, protocols, DNS-1035 names', () => {
  const svc: Service = { metadata: meta('web'), spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
  defaultService(svc);
  assert.deepEqual(svc.spec!.ports![0], { port: 80, protocol: 'TCP', targetPort: 80 });
  assert.deepEqual(validateService(svc), []);
  const bad: Service = { metadata: meta('1web'), spec: { ports: [{ port: 80 }, { port: 0, name: 'b', protocol: 'ICMP' }] } };
  defaultService(bad);
  bad.spec!.ports![1]!.protocol = 'ICMP';
  assert.deepEqual(messages(validateService(bad)), [
    "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    'spec.ports[0].name: Required value',
    'spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
    'spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
});

test('nodes: taints, pod CIDRs set once, quantities', () => {
  const node = { metadata: { name: 'n1', resourceVersion: '1' }, spec: { podCIDRs: ['10.0.1.0/24'], taints: [{ key: 'k', effect: 'Sometimes' }] },
    status: { capacity: { cpu: 'many' } } };
  assert.deepEqual(messages(validateNode(node)), [
    'spec.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    "status.capacity[cpu]: Invalid value: \"many\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  ]);
  const old = { metadata: { name: 'n1', resourceVersion: '1' }, spec: { podCIDRs: ['10.0.1.0/24'] } };
  assert.deepEqual(messages(validateNodeUpdate({ ...old, spec: { podCIDRs: ['10.0.2.0/24'] } }, old)), [
    'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
  ]);
});

test('events, leases, service accounts', () => {
  assert.deepEqual(messages(validateEvent({ metadata: meta('e.1'), involvedObject: { kind: 'Pod', namespace: 'other', name: 'p' } })), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
  assert.deepEqual(messages(validateLease({ metadata: meta('l'), spec: { leaseDurationSeconds: 0 } })), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
  ]);
  assert.deepEqual(messages(validateServiceAccount({ metadata: { name: 'default' } })), ['metadata.namespace: Required value']);
});
