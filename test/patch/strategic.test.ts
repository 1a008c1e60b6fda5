import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from '../../src/api/patch/strategic.ts';
import { ApiError } from '../../src/api/errors.ts';
import { podSchema, podSchemaSet } from './podschema.ts';

const smp = (original: unknown, patch: unknown) => applyStrategicMergePatch(original, patch, podSchema, podSchemaSet);
type Obj = Record<string, any>;

describe('applyStrategicMergePatch', () => {
  test("kubectl's 3-way apply patch (kubectl-wire §9.2)", () => {
    const live = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mypod', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'old\n' } },
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1.25', env: [{ name: 'A', value: '1' }, { name: 'B', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
        restartPolicy: 'Always',
      },
    };
    const patch = {
      metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'new\n' }, labels: { tier: 'web' } },
      spec: {
        '$setElementOrder/containers': [{ name: 'app' }],
        containers: [
          { '$setElementOrder/env': [{ name: 'B' }], env: [{ name: 'B', value: '2' }, { $patch: 'delete', name: 'A' }], image: 'nginx:1.26', name: 'app' },
          { $patch: 'delete', name: 'side' },
        ],
      },
    };
    assert.deepEqual(smp(live, patch), {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'mypod', labels: { app: 'web', tier: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'new\n' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.26', env: [{ name: 'B', value: '2' }] }], restartPolicy: 'Always' },
    });
  });

  test('maps merge, null deletes, new list items go before server-only ones (strategicpatch order)', () => {
    const live = { metadata: { labels: { a: '1', b: '2' } }, spec: { containers: [{ name: 'a', image: 'x' }] } };
    const out = smp(live, { metadata: { labels: { a: null, c: '3' } }, spec: { containers: [{ name: 'b', image: 'y' }] } }) as Obj;
    assert.deepEqual(out.metadata.labels, { b: '2', c: '3' });
    assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['b', 'a']);
    assert.deepEqual(live.metadata.labels, { a: '1', b: '2' }, 'input untouched');
  });

  test('patch items keep the patch order, interleaved with server-only items', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] } };
    const out = smp(live, { spec: { containers: [{ name: 'c', image: 'z' }, { name: 'a', image: 'z' }] } }) as Obj;
    assert.deepEqual(out.spec.containers.map((c: Obj) => c.name), ['b', 'c', 'a']);
  });

  test('$setElementOrder reorders without changing content', () => {
    const live = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const out = smp(live, { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } }) as Obj;
    assert.deepEqual(out.spec.containers, [{ name: 'b' }, { name: 'a' }]);
  });

  test('lists without merge strategy are replaced atomically', () => {
    const live = { spec: { containers: [{ name: 'a', command: ['sh', '-c', 'x'] }], tolerations: [{ key: 'a' }, { key: 'b' }] } };
    const out = smp(live, { spec: { containers: [{ name: 'a', command: ['true'] }], tolerations: [{ key: 'c' }] } }) as Obj;
    assert.deepEqual(out.spec.containers[0].command, ['true']);
    assert.deepEqual(out.spec.tolerations, [{ key: 'c' }]);
  });

  test('merge key other than name: container ports by containerPort', () => {
    const live = { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }] } };
    const out = smp(live, { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } }) as Obj;
    assert.deepEqual(out.spec.containers[0].ports, [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }]);
  });

  test('$patch: replace on a map and on a list', () => {
    const live = { metadata: { labels: { a: '1' } }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b' }] } };
    const out = smp(live, {
      metadata: { labels: { $patch: 'replace', z: '9' } },
      spec: { containers: [{ name: 'c' }, { $patch: 'replace' }] },
    }) as Obj;
    assert.deepEqual(out.metadata.labels, { z: '9' });
    assert.deepEqual(out.spec.containers, [{ name: 'c' }]);
  });

  test('$patch: delete on a map', () => {
    const out = smp({ spec: { nodeSelector: { a: 'b' }, nodeName: 'n' } }, { spec: { nodeSelector: { $patch: 'delete' } } }) as Obj;
    assert.deepEqual(out.spec, { nodeSelector: {}, nodeName: 'n' });
  });

  test('$deleteFromPrimitiveList and merging of primitive sets (finalizers)', () => {
    const live = { metadata: { finalizers: ['a', 'b', 'c'] } };
    assert.deepEqual((smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }) as Obj).metadata.finalizers, ['a', 'c']);
    assert.deepEqual((smp(live, { metadata: { finalizers: ['d', 'a'] } }) as Obj).metadata.finalizers, ['d', 'a', 'b', 'c']);
  });

  test('$retainKeys clears keys not listed (volume source switch)', () => {
    const live = { spec: { volumes: [{ name: 'v', emptyDir: { medium: 'Memory' } }] } };
    const out = smp(live, { spec: { volumes: [{ name: 'v', hostPath: { path: '/x' }, $retainKeys: ['hostPath', 'name'] }] } }) as Obj;
    assert.deepEqual(out.spec.volumes, [{ name: 'v', hostPath: { path: '/x' } }]);
    assert.throws(() => smp(live, { spec: { volumes: [{ name: 'v', hostPath: {}, $retainKeys: ['name'] }] } }),
      (err: ApiError) => err.code === 400 && err.message === 'invalid patch format of retainKeys');
  });

  test('fields without schema merge like a JSON merge patch', () => {
    const live = { spec: { extra: { a: 1, b: [1, 2] } } };
    assert.deepEqual((smp(live, { spec: { extra: { a: null, b: [3], c: { d: null, e: 1 } } } }) as Obj).spec.extra, { b: [3], c: { e: 1 } });
  });

  test('malformed directives', () => {
    assert.throws(() => smp({ spec: {} }, { spec: { $setElementOrder: [] } }),
      (err: ApiError) => err.code === 400 && err.message === 'invalid patch format of setElementOrder list');
    assert.throws(() => smp({ metadata: { finalizers: ['a'] } }, { metadata: { $deleteFromPrimitiveList: ['a'] } }),
      (err: ApiError) => err.code === 400 && err.message === 'invalid patch format of primitive list');
    assert.throws(() => smp({ metadata: { labels: {} } }, { metadata: { labels: { $patch: 'frob' } } }),
      (err: ApiError) => err.code === 500 && err.message === 'unknown patch type: frob in map: map[$patch:frob]');
    assert.throws(() => smp({ spec: { containers: [{ name: 'a' }] } }, { spec: { containers: [{ $patch: 'delete' }] } }),
      (err: ApiError) => err.message === 'map: map[$patch:delete] does not contain declared merge key: name');
    assert.throws(() => smp({}, [1]), (err: ApiError) => err.code === 400 &&
      err.message === 'json: cannot unmarshal array into Go value of type map[string]interface {}');
  });
});
