import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import { defaultDeployment } from '../../src/api/defaults/deployment.ts';
import { defaultReplicaSet } from '../../src/api/defaults/replicaset.ts';
import { validateDeployment, validateDeploymentUpdate } from '../../src/api/validation/deployment.ts';
import { validateReplicaSet } from '../../src/api/validation/replicaset.ts';
import { validateScale } from '../../src/api/validation/scale.ts';
import { messages } from './helpers.ts';

function deployment(mutate: (d: Deployment) => void = () => {}): Deployment {
  const d: Deployment = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } },
    },
  };
  mutate(d);
  defaultDeployment(d);
  return d;
}

test('a defaulted deployment is valid', () => {
  assert.deepEqual(messages(validateDeployment(deployment())), []);
});

test('selector must match the template labels', () => {
  assert.deepEqual(messages(validateDeployment(deployment((d) => (d.spec!.template.metadata!.labels = { app: 'api', tier: 'x' })))), [
    'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api", "tier":"x"}: `selector` does not match template `labels`',
  ]);
});

test('selector required, replicas non-negative, restartPolicy Always, strategy', () => {
  assert.deepEqual(messages(validateDeployment(deployment((d) => {
    delete (d.spec as { selector?: unknown }).selector;
    d.spec!.replicas = -1;
    d.spec!.template.spec!.restartPolicy = 'Never';
    d.spec!.strategy = { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } };
  }))), [
    'spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    'spec.selector: Required value',
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
  ]);
});

test('empty selector and invalid template spec', () => {
  assert.deepEqual(messages(validateDeployment(deployment((d) => {
    d.spec!.selector = {};
    d.spec!.template.spec!.containers = [];
  }))), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
    'spec.template.spec.containers: Required value',
  ]);
});

test('the selector is immutable', () => {
  const old = deployment((d) => (Object.assign(d.metadata!, { resourceVersion: '2' })));
  const d = structuredClone(old);
  d.spec!.selector = { matchLabels: { app: 'web', v: '2' } };
  d.spec!.template.metadata!.labels = { app: 'web', v: '2' };
  assert.deepEqual(messages(validateDeploymentUpdate(d, old)), [
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web", "v":"2"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
  ]);
});

test('replica sets and scale', () => {
  const rs: ReplicaSet = {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx' }] } } },
  };
  defaultReplicaSet(rs);
  assert.equal(rs.spec!.replicas, 1);
  assert.deepEqual(messages(validateReplicaSet(rs)), []);
  rs.spec!.selector.matchExpressions![0]!.operator = 'Near';
  assert.deepEqual(messages(validateReplicaSet(rs)), [
    'spec.selector.matchExpressions[0].operator: Invalid value: "Near": not a valid selector operator',
    'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"Near", Values:[]string{"web"}}}}: invalid label selector',
  ]);
  assert.deepEqual(messages(validateScale({ metadata: { name: 'web', namespace: 'd' }, spec: { replicas: -2 } })), [
    'spec.replicas: Invalid value: -2: must be greater than or equal to 0',
  ]);
});
