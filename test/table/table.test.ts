import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { toTable } from '../../src/api/table/index.ts';
import type { KubeObject } from '../../src/api/registry/object.ts';

const now = new Date('2025-03-01T12:00:00Z');
const created = '2025-03-01T11:59:30Z';
const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', resourceVersion: '7', creationTimestamp: created }, data: { a: '1', b: '2' } };

describe('table shape', () => {
  test('metadata, columns and PartialObjectMetadata rows by default', () => {
    const t = toTable('ConfigMap', [cm], { includeObject: 'Metadata', now, listMeta: { resourceVersion: '9', continue: 'x' } });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.deepEqual(t.metadata, { resourceVersion: '9', continue: 'x' });
    assert.deepEqual(t.columnDefinitions?.map((c) => [c.name, c.type, c.format, c.priority]), [['Name', 'string', 'name', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]]);
    assert.deepEqual(t.rows, [{ cells: ['c', 2, '30s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata } }]);
  });
  test('includeObject Object and None; no column definitions in later watch events', () => {
    assert.equal(toTable('ConfigMap', [cm], { includeObject: 'Object', now }).rows?.[0].object, cm);
    const t = toTable('ConfigMap', [cm], { includeObject: 'None', now, omitColumnDefinitions: true });
    assert.equal(t.rows?.[0].object, null);
    assert.equal(t.columnDefinitions, null);
  });
  test('kinds without a printer get NAME and CREATED AT', () => {
    const t = toTable('Binding', [{ metadata: { name: 'b', creationTimestamp: created } }], { includeObject: 'None', now });
    assert.deepEqual(t.columnDefinitions?.map((c) => [c.name, c.type]), [['Name', 'string'], ['Created At', 'date']]);
    assert.deepEqual(t.rows?.[0].cells, ['b', created]);
  });
});

const row = (kind: string, obj: KubeObject) => toTable(kind, [obj], { includeObject: 'None', now }).rows?.[0].cells;

describe('other kinds', () => {
  test('node', () => {
    const node: KubeObject = {
      metadata: { name: 'n1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'worker' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'False' }], addresses: [{ type: 'InternalIP', address: '10.0.0.1' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'peapod://1' } },
    };
    assert.deepEqual(row('Node', node), ['n1', 'NotReady,SchedulingDisabled', 'control-plane,worker', '30s', 'v1.32.0', '10.0.0.1', '<none>', 'Debian', '6.1', 'peapod://1']);
    assert.equal(row('Node', { metadata: { name: 'n2' } })?.[1], 'Unknown');
  });
  test('event', () => {
    const ev: KubeObject = {
      metadata: { name: 'web.1', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{a}' },
      reason: 'Pulled', message: ' ok \n', type: 'Normal', source: { component: 'kubelet', host: 'n1' },
      firstTimestamp: '2025-03-01T11:00:00Z', lastTimestamp: created,
    };
    assert.deepEqual(row('Event', ev), ['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{a}', 'kubelet, n1', 'ok', '60m', 1, 'web.1']);
  });
  test('secret, service account, namespace, lease', () => {
    assert.deepEqual(row('Secret', { metadata: { name: 's', creationTimestamp: created }, type: 'Opaque', data: { k: 'dg==' } }), ['s', 'Opaque', 1, '30s']);
    assert.deepEqual(row('ServiceAccount', { metadata: { name: 'default' } }), ['default', 0, '<unknown>']);
    assert.deepEqual(row('Namespace', { metadata: { name: 'ns' }, status: { phase: 'Active' } }), ['ns', 'Active', '<unknown>']);
    assert.deepEqual(row('Lease', { metadata: { name: 'l' }, spec: {} }), ['l', '<none>', '<unknown>']);
  });
  test('service', () => {
    const svc: KubeObject = { metadata: { name: 'web' }, spec: { type: 'NodePort', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }], selector: { b: '2', a: '1' } } };
    assert.deepEqual(row('Service', svc), ['web', 'NodePort', '10.96.0.10', '<none>', '80:30080/TCP,53/UDP', '<unknown>', 'a=1,b=2']);
    assert.equal(row('Service', { metadata: { name: 'lb' }, spec: { type: 'LoadBalancer' } })?.[3], '<pending>');
  });
  test('deployment and replica set', () => {
    const template = { spec: { containers: [{ name: 'a', image: 'img:1' }, { name: 'b', image: 'img:2' }] } };
    const selector = { matchLabels: { app: 'web' } };
    const deploy: KubeObject = { metadata: { name: 'web' }, spec: { replicas: 3, selector, template }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    assert.deepEqual(row('Deployment', deploy), ['web', '2/3', 3, 2, '<unknown>', 'a,b', 'img:1,img:2', 'app=web']);
    const rs: KubeObject = { metadata: { name: 'web-1' }, spec: { replicas: 3, selector, template }, status: { replicas: 3, readyReplicas: 1 } };
    assert.deepEqual(row('ReplicaSet', rs), ['web-1', 3, 3, 1, '<unknown>', 'a,b', 'img:1,img:2', 'app=web']);
  });
});
