import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSelector } from '../../src/api/selectors/fields.ts';
import type { KubeObject } from '../../src/api/registry/object.ts';

const pod: KubeObject = {
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'default' },
  spec: { nodeName: 'node-a', restartPolicy: 'Always', containers: [] },
  status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }] },
};

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.equal((err as { code?: number }).code, 400);
    return (err as Error).message;
  }
  assert.fail('no error');
}

describe('field selectors', () => {
  const cases: [string, boolean][] = [
    ['metadata.name=web-1', true],
    ['metadata.name==web-1', true],
    ['metadata.name!=web-1', false],
    ['metadata.name=web-1,metadata.namespace=default', true],
    ['metadata.namespace=kube-system', false],
    ['spec.nodeName=node-a,status.phase=Running', true],
    ['spec.host=node-a', true],
    ['spec.nodeName=', false],
    ['spec.serviceAccountName=', true],
    ['spec.hostNetwork=false', true],
    ['status.podIP=10.0.0.5', true],
    ['', true],
  ];
  for (const [selector, want] of cases) {
    test(`${selector || '(empty)'} → ${want}`, () => assert.equal(parseFieldSelector('Pod', selector)(pod), want));
  }

  test('escaped values', () => {
    const cm: KubeObject = { metadata: { name: 'a,b=c\\d' } };
    assert.equal(parseFieldSelector('ConfigMap', 'metadata.name=a\\,b\\=c\\\\d')(cm), true);
  });

  test('events by involved object and source', () => {
    const ev: KubeObject = {
      metadata: { name: 'e', namespace: 'default' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default', uid: 'u1' },
      reportingComponent: 'kubelet',
      type: 'Normal',
    };
    const match = parseFieldSelector('Event', 'involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.uid=u1,source=kubelet');
    assert.equal(match(ev), true);
  });

  test('nodes, namespaces, secrets, replica sets', () => {
    assert.equal(parseFieldSelector('Node', 'spec.unschedulable=false')({ metadata: { name: 'n' }, spec: {} }), true);
    assert.equal(parseFieldSelector('Namespace', 'status.phase=Active')({ metadata: { name: 'x' }, status: { phase: 'Active' } }), true);
    assert.equal(parseFieldSelector('Secret', 'type=Opaque')({ metadata: { name: 's' }, type: 'Opaque' }), true);
    assert.equal(parseFieldSelector('ReplicaSet', 'status.replicas=0')({ metadata: { name: 'r' }, status: {} }), true);
  });
});

describe('field selector errors', () => {
  test('unsupported field of a kind with its own conversion', () => {
    assert.equal(message(() => parseFieldSelector('Pod', 'spec.foo=x')), 'field label not supported: spec.foo');
  });
  test('nodes have no namespace field', () => {
    assert.equal(message(() => parseFieldSelector('Node', 'metadata.namespace=x')), 'field label not supported: metadata.namespace');
  });
  test('kinds with the default conversion', () => {
    assert.equal(
      message(() => parseFieldSelector('ConfigMap', 'data.x=y')),
      '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });
  test('a term without an operator', () => {
    assert.equal(message(() => parseFieldSelector('Pod', 'a=b,foo')), "invalid selector: 'a=b,foo'; can't understand 'foo'");
  });
  test('bad escapes', () => {
    assert.equal(message(() => parseFieldSelector('Pod', 'metadata.name=a\\b')), 'invalid field selector: invalid escape sequence: \\b');
    assert.equal(message(() => parseFieldSelector('Pod', 'metadata.name=a=b')), 'invalid field selector: unescaped character in value: 61');
  });
});
