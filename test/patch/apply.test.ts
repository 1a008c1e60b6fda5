import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { applyPatch, validateApplyOptions } from '../../src/api/patch/apply.ts';
import { recordUpdate } from '../../src/api/patch/managedfields.ts';
import { ApiError } from '../../src/api/errors.ts';
import type { KubeObject } from '../../src/api/registry/object.ts';
import { podSchema, podSchemaSet } from './podschema.ts';

type Obj = Record<string, any>;
const base = { schema: podSchema, set: podSchemaSet, apiVersion: 'v1' };
const apply = (live: KubeObject | undefined, applied: KubeObject, manager = 'kubectl', force = false, now = '2025-01-01T00:00:00Z') =>
  applyPatch(live, applied, { ...base, manager, force, now }) as Obj;
const update = (before: KubeObject | undefined, after: KubeObject, manager: string, now = '2025-01-01T00:00:00Z') =>
  recordUpdate(before, after, { ...base, manager, now }) as Obj;

const manifest = (image = 'nginx:1.25', labels: Record<string, string> = { app: 'web' }, containers: Obj[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'mypod', namespace: 'default', labels },
  spec: { containers: [{ name: 'app', image }, ...containers] },
});

function conflict(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError);
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    return err;
  }
  assert.fail('no conflict');
}

describe('applyPatch', () => {
  test('create: the applier owns what it applied, in FieldsV1', () => {
    const pod = apply(undefined, manifest());
    assert.equal(pod.spec.containers[0].image, 'nginx:1.25');
    assert.deepEqual(pod.metadata.managedFields, [{
      manager: 'kubectl',
      operation: 'Apply',
      apiVersion: 'v1',
      time: '2025-01-01T00:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
      },
    }]);
  });

  test('fields the applier drops are removed; values it changes are updated', () => {
    const v1 = apply(undefined, manifest('nginx:1.25', { app: 'web', tier: 'front' }, [{ name: 'side', image: 'busybox' }]));
    const v2 = apply(v1, manifest('nginx:1.26', { app: 'web' }), 'kubectl', false, '2025-01-02T00:00:00Z');
    assert.deepEqual(v2.metadata.labels, { app: 'web' });
    assert.deepEqual(v2.spec.containers, [{ name: 'app', image: 'nginx:1.26' }]);
    assert.equal(v2.metadata.managedFields[0].time, '2025-01-02T00:00:00Z');
    assert.deepEqual(Object.keys(v2.metadata.managedFields[0].fieldsV1['f:spec']['f:containers']), ['k:{"name":"app"}']);
  });

  test('an unchanged re-apply keeps the time', () => {
    const v1 = apply(undefined, manifest());
    const v2 = apply(v1, manifest(), 'kubectl', false, '2025-02-02T00:00:00Z');
    assert.equal(v2.metadata.managedFields[0].time, '2025-01-01T00:00:00Z');
  });

  test("a dropped field another manager also owns stays", () => {
    const v1 = apply(undefined, manifest('nginx:1.25', { app: 'web', tier: 'front' }));
    const edited = update(v1, { ...v1, metadata: { ...v1.metadata, labels: { app: 'web', tier: 'back' } } }, 'kubectl-edit');
    const v2 = apply(edited, manifest('nginx:1.25', { app: 'web' }));
    assert.deepEqual(v2.metadata.labels, { app: 'web', tier: 'back' });
  });

  test('changing a field another manager owns is a 409 with FieldManagerConflict causes', () => {
    const created = update(undefined, manifest('nginx:1.25'), 'kubectl-client-side-apply');
    assert.equal(created.metadata.managedFields[0].operation, 'Update');
    const err = conflict(() => apply(created, manifest('nginx:1.26')));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.containers[name="app"].image');
    assert.deepEqual(err.details?.causes, [{
      reason: 'FieldManagerConflict',
      message: 'conflict with "kubectl-client-side-apply" using v1',
      field: '.spec.containers[name="app"].image',
    }]);
  });

  test('applying the same value shares ownership; force takes it', () => {
    const created = update(undefined, manifest('nginx:1.25'), 'kubectl-client-side-apply');
    const shared = apply(created, manifest('nginx:1.25'));
    assert.equal(shared.metadata.managedFields.length, 2);
    const forced = apply(shared, manifest('nginx:1.26'), 'kubectl', true);
    assert.equal(forced.spec.containers[0].image, 'nginx:1.26');
    const csa = forced.metadata.managedFields.find((e: Obj) => e.manager === 'kubectl-client-side-apply');
    assert.deepEqual(csa.fieldsV1['f:spec']['f:containers']['k:{"name":"app"}'], { '.': {}, 'f:name': {} });
  });

  test('an object nobody applied belongs to before-first-apply', () => {
    const live = { ...manifest('nginx:1.25'), metadata: { name: 'mypod', namespace: 'default', labels: { app: 'web' }, uid: 'u1' } };
    const err = conflict(() => apply(live, manifest('nginx:1.26')));
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using v1: .spec.containers[name="app"].image');
  });

  test('several conflicts are listed per manager', () => {
    const created = update(undefined, manifest('nginx:1.25', { app: 'web' }), 'kubectl-edit');
    const err = conflict(() => apply(created, manifest('nginx:1.26', { app: 'api' })));
    assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using v1:\n- .metadata.labels.app\n- .spec.containers[name="app"].image');
    assert.equal(err.details?.causes?.length, 2);
  });

  test('keyed lists use list-map keys with defaults; sets use values', () => {
    const pod = apply(undefined, {
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'p', finalizers: ['example.com/x'] },
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }] }] },
    });
    const f = pod.metadata.managedFields[0].fieldsV1;
    assert.deepEqual(f['f:metadata'], { 'f:finalizers': { 'v:"example.com/x"': {} } });
    assert.deepEqual(f['f:spec']['f:containers']['k:{"name":"app"}']['f:ports'],
      { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } });
  });

  test('apply merges with live content it does not mention', () => {
    const created = update(undefined, { ...manifest(), spec: { containers: [{ name: 'app', image: 'nginx:1.25' }], nodeName: 'n1' } }, 'scheduler');
    const pod = apply(created, manifest('nginx:1.25', { app: 'web', extra: 'x' }));
    assert.equal(pod.spec.nodeName, 'n1');
    assert.deepEqual(pod.metadata.labels, { app: 'web', extra: 'x' });
  });

  test('managedFields in the applied object and a wrong apiVersion are 400', () => {
    assert.throws(() => apply(undefined, { ...manifest(), metadata: { name: 'p', managedFields: [] } }),
      (err: ApiError) => err.code === 400 && err.message === 'metadata.managedFields must be nil');
    assert.throws(() => apply(undefined, { ...manifest(), apiVersion: 'v2' }),
      (err: ApiError) => err.code === 400 && err.message === 'Incorrect version specified in apply patch. Specified patch version: v2, expected: v1');
  });
});

describe('recordUpdate', () => {
  test('create records everything but identity metadata; updates add changed fields', () => {
    const created = update(undefined, manifest(), 'kubectl-create');
    assert.deepEqual(created.metadata.managedFields[0].fieldsV1, {
      'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
      'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {}, 'f:name': {} } } },
    });
    const labelled = update(created, { ...created, metadata: { ...created.metadata, labels: { app: 'web', x: 'y' } } }, 'kubectl-label', '2025-03-01T00:00:00Z');
    const entries = labelled.metadata.managedFields.map((e: Obj) => [e.manager, e.time]);
    assert.deepEqual(entries, [['kubectl-create', '2025-01-01T00:00:00Z'], ['kubectl-label', '2025-03-01T00:00:00Z']]);
    assert.deepEqual(labelled.metadata.managedFields[1].fieldsV1, { 'f:metadata': { 'f:labels': { 'f:x': {} } } });
  });

  test('a write that changes nothing records nothing; managedFields: [] resets', () => {
    const created = update(undefined, manifest(), 'kubectl-create');
    assert.deepEqual(update(created, created, 'other').metadata.managedFields, created.metadata.managedFields);
    const reset = update(created, { ...created, metadata: { ...created.metadata, managedFields: [] } }, 'other');
    assert.equal(reset.metadata.managedFields, undefined);
  });

  test('status changes on the main resource are not tracked', () => {
    const created = update(undefined, manifest(), 'kubectl-create');
    const withStatus = update(created, { ...created, status: { phase: 'Running' } }, 'someone');
    assert.equal(withStatus.metadata.managedFields.length, 1);
  });
});

describe('validateApplyOptions', () => {
  test('a missing fieldManager is 422 against PatchOptions', () => {
    assert.throws(() => validateApplyOptions('', 'Pod', 'p', ''), (err: ApiError) =>
      err.code === 422 && err.reason === 'Invalid' &&
      err.message === 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch' &&
      err.details?.kind === 'PatchOptions' && err.details?.group === 'meta.k8s.io');
    validateApplyOptions('kubectl');
  });
});
