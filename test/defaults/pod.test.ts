import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { defaultPod } from '../../src/api/defaults/pod.ts';
import { imageTag } from '../../src/api/defaults/podspec.ts';
import { podQOSClass } from '../../src/api/defaults/qos.ts';

test('pod defaults as SetDefaults_* and the default admission plugins apply them', () => {
  const pod: Pod = {
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: [{
        name: 'app', image: 'nginx', ports: [{ containerPort: 80 }],
        env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        livenessProbe: { httpGet: { port: 80 } },
        resources: { limits: { cpu: '1000m', memory: '1Gi' } },
      }],
      volumes: [{ name: 'a' }, { name: 'b', configMap: { name: 'c' } }, { name: 'h', hostPath: { path: '/x' } }],
    },
  };
  defaultPod(pod);
  const spec = pod.spec!;
  const c = spec.containers[0]!;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  assert.equal(spec.priority, 0);
  assert.equal(spec.preemptionPolicy, 'PreemptLowerPriority');
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.serviceAccount, 'default');
  assert.deepEqual(spec.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  assert.equal(c.imagePullPolicy, 'Always');
  assert.equal(c.terminationMessagePath, '/dev/termination-log');
  assert.equal(c.terminationMessagePolicy, 'File');
  assert.equal(c.ports![0]!.protocol, 'TCP');
  assert.equal(c.env![0]!.valueFrom!.fieldRef!.apiVersion, 'v1');
  assert.deepEqual(c.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  assert.deepEqual(c.resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } });
  assert.deepEqual(spec.volumes, [
    { name: 'a', emptyDir: {} },
    { name: 'b', configMap: { name: 'c', defaultMode: 420 } },
    { name: 'h', hostPath: { path: '/x', type: '' } },
  ]);
  assert.deepEqual(pod.status, { phase: 'Pending', qosClass: 'Guaranteed' });
});

test('existing tolerations of not-ready nodes are kept', () => {
  const pod: Pod = { spec: { containers: [{ name: 'a', image: 'x:1' }], tolerations: [{ operator: 'Exists' }] } };
  defaultPod(pod);
  assert.deepEqual(pod.spec!.tolerations, [{ operator: 'Exists' }]);
});

test('image pull policy from the tag', () => {
  assert.equal(imageTag('nginx'), 'latest');
  assert.equal(imageTag('nginx:latest'), 'latest');
  assert.equal(imageTag('localhost:5000/nginx'), 'latest');
  assert.equal(imageTag('localhost:5000/nginx:1.2'), '1.2');
  assert.equal(imageTag('nginx@sha256:abc'), '');
});

test('QoS classes', () => {
  const pod = (resources: object[], init: object[] = []): Pod =>
    ({ spec: { containers: resources.map((r, i) => ({ name: `c${i}`, resources: r })), initContainers: init.map((r, i) => ({ name: `i${i}`, resources: r })) } }) as Pod;
  assert.equal(podQOSClass(pod([{}])), 'BestEffort');
  assert.equal(podQOSClass(pod([{ requests: { cpu: '0' } }])), 'BestEffort');
  assert.equal(podQOSClass(pod([{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } }])), 'Guaranteed');
  assert.equal(podQOSClass(pod([{ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } }])), 'Burstable');
  assert.equal(podQOSClass(pod([{ limits: { cpu: '1', memory: '1Gi' } }], [{ requests: { cpu: '1' } }])), 'Burstable');
});
