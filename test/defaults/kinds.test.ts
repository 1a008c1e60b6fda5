import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment } from 'kubernetes-types/apps/v1.d.ts';
import type { Event, Namespace, Node, Secret, Service } from 'kubernetes-types/core/v1.d.ts';
import { defaultDeployment } from '../../src/api/defaults/deployment.ts';
import { defaultEvent } from '../../src/api/defaults/event.ts';
import { defaultNamespace } from '../../src/api/defaults/namespace.ts';
import { defaultNode } from '../../src/api/defaults/node.ts';
import { defaultSecret } from '../../src/api/defaults/secret.ts';
import { defaultService } from '../../src/api/defaults/service.ts';

test('deployment defaults', () => {
  const d: Deployment = { spec: { selector: {}, template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } } };
  defaultDeployment(d);
  assert.equal(d.spec!.replicas, 1);
  assert.deepEqual(d.spec!.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(d.spec!.revisionHistoryLimit, 10);
  assert.equal(d.spec!.progressDeadlineSeconds, 600);
  const t = d.spec!.template.spec!;
  assert.equal(t.restartPolicy, 'Always');
  assert.equal(t.containers[0]!.imagePullPolicy, 'IfNotPresent');
  // Pod-only defaults stay off templates.
  assert.equal(t.enableServiceLinks, undefined);
  assert.equal(t.tolerations, undefined);
});

test('namespace, secret, node, service, event defaults', () => {
  const ns: Namespace = { metadata: { name: 'team' } };
  defaultNamespace(ns);
  assert.deepEqual(ns.metadata!.labels, { 'kubernetes.io/metadata.name': 'team' });
  assert.deepEqual(ns.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(ns.status, { phase: 'Active' });

  const secret: Secret = { stringData: { user: 'admin' }, data: { pw: 'cA==' } };
  defaultSecret(secret);
  assert.deepEqual(secret, { type: 'Opaque', data: { pw: 'cA==', user: 'YWRtaW4=' } });

  const node = { status: { capacity: { cpu: '4000m', memory: '8192Mi' } } } as Node;
  defaultNode(node);
  assert.deepEqual(node.status!.allocatable, { cpu: '4', memory: '8Gi' });

  const svc: Service = { spec: { ports: [{ port: 80, targetPort: 'http' }] } };
  defaultService(svc);
  assert.deepEqual(svc.spec, {
    ports: [{ port: 80, targetPort: 'http', protocol: 'TCP' }], type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster',
  });

  const ev = { involvedObject: {} } as Event;
  defaultEvent(ev);
  assert.equal(ev.reportingComponent, '');
  assert.equal(ev.reportingInstance, '');
});
