import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { getSchemaSet, pruneUnknownFields, schemaChecks, strictDecodingMessage, typeErrors, unknownFields } from '../../src/api/schema/index.ts';

const set = getSchemaSet();
const pod = set.forKind({ group: '', version: 'v1', kind: 'Pod' })!;
const podGVK = { group: '', version: 'v1', kind: 'Pod' };

function podWith(spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 'web' }): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec };
}

describe('unknownFields', () => {
  test('finds nested fields in containers and metadata, with kube-apiserver paths', () => {
    const obj = podWith({ containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y', imagePullPolicyy: 'Always', ports: [{ containerPort: 80, hostPortt: 1 }] }] },
      { name: 'web', labelz: {} });
    assert.deepEqual(unknownFields(obj, pod, set), ['metadata.labelz', 'spec.containers[1].imagePullPolicyy', 'spec.containers[1].ports[0].hostPortt']);
    assert.equal(strictDecodingMessage(unknownFields(obj, pod, set)),
      'strict decoding error: unknown field "metadata.labelz", unknown field "spec.containers[1].imagePullPolicyy", unknown field "spec.containers[1].ports[0].hostPortt"');
  });

  test('accepts maps, raw extensions, int-or-string and quantities', () => {
    const obj = podWith({
      nodeSelector: { anything: 'goes' },
      containers: [{ name: 'a', resources: { limits: { cpu: '1', 'example.com/gpu': 2 } },
        livenessProbe: { httpGet: { port: 'http' } }, readinessProbe: { tcpSocket: { port: 8080 } } }],
    }, { name: 'web', labels: { 'app.kubernetes.io/name': 'x' }, annotations: { a: 'b' },
      managedFields: [{ manager: 'm', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:x': {} } } }] });
    assert.deepEqual(unknownFields(obj, pod, set), []);
    assert.deepEqual(typeErrors(obj, pod, set), []);
  });

  test('prune drops exactly the unknown fields', () => {
    const obj = podWith({ containers: [{ name: 'a', bogus: 1 }], alsoBogus: true });
    pruneUnknownFields(obj, pod, set);
    assert.deepEqual(obj.spec, { containers: [{ name: 'a' }] });
  });
});

describe('typeErrors', () => {
  test('words errors like encoding/json', () => {
    assert.deepEqual(typeErrors(podWith({ containers: [{ name: 'a', ports: [{ containerPort: '80' }] }] }), pod, set),
      ['json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32']);
    assert.deepEqual(typeErrors(podWith({ containers: {} }), pod, set),
      ['json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container']);
    assert.deepEqual(typeErrors({ spec: 'x' }, pod, set), ['json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec']);
    assert.deepEqual(typeErrors(podWith({ activeDeadlineSeconds: 1.5, containers: [] }), pod, set),
      ['json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.activeDeadlineSeconds of type int64']);
    assert.deepEqual(typeErrors(podWith({ containers: [] }, { name: 'x', labels: { a: 1 } }), pod, set),
      ['json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string']);
  });

  test('the codec checks put the kind in front, as kube-apiserver does', () => {
    const checks = schemaChecks(set);
    assert.equal(checks.check(podWith({ hostNetwork: 'yes', containers: [] }), podGVK).typeError,
      'Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool');
    assert.equal(checks.check(podWith({ containers: [{ name: 'a', resources: { limits: { cpu: 'lots' } } }] }), podGVK).typeError,
      'Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression \'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$\'');
    assert.equal(checks.check(podWith({ containers: [] }), podGVK).typeError, undefined);
    const deployment = { spec: { replicas: 1, replicaz: 2 } };
    assert.deepEqual(checks.check(deployment, { group: 'apps', version: 'v1', kind: 'Deployment' }).unknownFields, ['spec.replicaz']);
    assert.deepEqual(deployment, { spec: { replicas: 1 } }, 'unknown fields are dropped in the same walk');
  });
});
