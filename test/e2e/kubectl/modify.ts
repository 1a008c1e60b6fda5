// label, annotate and the three patch types: each prints `pod/NAME <verb>` and the change is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podManifest } from '../../support/manifests.ts';
import type { Cluster } from './context.ts';

export function modifyTests(cluster: Cluster): void {
  test('label adds, refuses to overwrite, overwrites and removes', async () => {
    await cluster.create(podManifest('lbl', { labels: { env: 'a' } }), ['pod/lbl created']);
    assert.equal((await cluster.ok(['label', 'pod', 'lbl', 'tier=web'])).stdout, 'pod/lbl labeled\n');
    const refused = await cluster.run(['label', 'pod', 'lbl', 'env=b']);
    assert.deepEqual(refused, { code: 1, stdout: '', stderr: "error: 'env' already has a value (a), and --overwrite is false\n" });
    assert.equal((await cluster.ok(['label', 'pod', 'lbl', 'env=b', '--overwrite'])).stdout, 'pod/lbl labeled\n');
    assert.equal((await cluster.ok(['label', 'pod', 'lbl', 'env=b', '--overwrite'])).stdout, 'pod/lbl not labeled\n');
    assert.equal((await cluster.ok(['label', 'pod', 'lbl', 'tier-'])).stdout, 'pod/lbl unlabeled\n');
    assert.equal(await cluster.jsonpath('lbl', '{.metadata.labels}'), '{"env":"b"}');
  });

  test('annotate adds and overwrites an annotation', async () => {
    await cluster.create(podManifest('ann'), ['pod/ann created']);
    assert.equal((await cluster.ok(['annotate', 'pod', 'ann', 'note=hello'])).stdout, 'pod/ann annotated\n');
    assert.equal(await cluster.jsonpath('ann', '{.metadata.annotations.note}'), 'hello');
    assert.equal((await cluster.ok(['annotate', 'pod', 'ann', 'note=bye', '--overwrite'])).stdout, 'pod/ann annotated\n');
    assert.equal(await cluster.jsonpath('ann', '{.metadata.annotations.note}'), 'bye');
    assert.equal((await cluster.ok(['annotate', 'pod', 'ann', 'note-'])).stdout, 'pod/ann annotated\n');
    assert.equal(await cluster.jsonpath('ann', '{.metadata.annotations}'), '');
  });

  test('patch --type strategic (the default) merges containers by name', async () => {
    await cluster.create(podManifest('pt-smp', { containers: { app: 'nginx:1.25', side: 'busybox:1.36' } }), ['pod/pt-smp created']);
    const patch = '{"metadata":{"labels":{"p":"s"}},"spec":{"containers":[{"name":"app","image":"nginx:1.27"}]}}';
    assert.equal((await cluster.ok(['patch', 'pod', 'pt-smp', '-p', patch])).stdout, 'pod/pt-smp patched\n');
    assert.equal(await cluster.jsonpath('pt-smp', '{.metadata.labels.p} {range .spec.containers[*]}{.name}={.image} {end}'), 's app=nginx:1.27 side=busybox:1.36 ');
  });

  test('patch --type merge replaces maps key by key', async () => {
    await cluster.create(podManifest('pt-merge', { labels: { keep: 'yes', drop: 'me' } }), ['pod/pt-merge created']);
    const patch = '{"metadata":{"labels":{"p":"m","drop":null}}}';
    assert.equal((await cluster.ok(['patch', 'pod', 'pt-merge', '--type', 'merge', '-p', patch])).stdout, 'pod/pt-merge patched\n');
    assert.equal(await cluster.jsonpath('pt-merge', '{.metadata.labels}'), '{"keep":"yes","p":"m"}');
    const again = await cluster.ok(['patch', 'pod', 'pt-merge', '--type', 'merge', '-p', patch]);
    assert.equal(again.stdout, 'pod/pt-merge patched (no change)\n');
  });

  test('patch --type json applies operations in order', async () => {
    await cluster.create(podManifest('pt-json'), ['pod/pt-json created']);
    const patch = JSON.stringify([
      { op: 'add', path: '/metadata/labels', value: { j: '1' } },
      { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.28' },
      { op: 'test', path: '/spec/containers/0/name', value: 'app' },
    ]);
    assert.equal((await cluster.ok(['patch', 'pod', 'pt-json', '--type', 'json', '-p', patch])).stdout, 'pod/pt-json patched\n');
    assert.equal(await cluster.jsonpath('pt-json', '{.metadata.labels.j} {.spec.containers[0].image}'), '1 nginx:1.28');
  });

  test('scale sets replicas through the scale subresource, with --current-replicas as a precondition', async () => {
    assert.equal((await cluster.ok(['create', 'deployment', 'scaled', '--image=nginx:1.25', '--replicas=2'])).stdout, 'deployment.apps/scaled created\n');
    assert.equal((await cluster.ok(['scale', 'deployment', 'scaled', '--replicas=3'])).stdout, 'deployment.apps/scaled scaled\n');
    assert.equal((await cluster.ok(['scale', 'deployment', 'scaled', '--current-replicas=3', '--replicas=4'])).stdout, 'deployment.apps/scaled scaled\n');
    const stale = await cluster.run(['scale', 'deployment', 'scaled', '--current-replicas=9', '--replicas=5']);
    assert.deepEqual(stale, { code: 1, stdout: '', stderr: 'error: Expected replicas to be 9, was 4\n' });
    const got = await cluster.ok(['get', 'deployment', 'scaled', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}']);
    assert.equal(got.stdout, '4 3');
    const scale = JSON.parse((await cluster.ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/scaled/scale'])).stdout);
    assert.deepEqual({ kind: scale.kind, apiVersion: scale.apiVersion, spec: scale.spec, selector: scale.status.selector },
      { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 4 }, selector: 'app=scaled' });
  });
}
