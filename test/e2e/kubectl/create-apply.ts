// create -f, client-side apply (created → unchanged → configured) and server-side apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podManifest } from '../../support/manifests.ts';
import { lines, type Cluster } from './context.ts';

export function createApplyTests(cluster: Cluster): void {
  test('create -f creates a pod', async () => {
    const result = await cluster.ok(['create', '-f', '-'], { input: podManifest('cr-web', { labels: { app: 'cr-web' } }) });
    assert.equal(result.stdout, 'pod/cr-web created\n');
    assert.equal(result.stderr, '');
    assert.equal(await cluster.jsonpath('cr-web', '{.metadata.name} {.metadata.labels.app} {.spec.containers[0].image}'), 'cr-web cr-web nginx:1.25');
  });

  test('create -f with several documents creates each object', async () => {
    const input = [podManifest('cr-multi-a'), podManifest('cr-multi-b')].join('---\n');
    const result = await cluster.ok(['create', '-f', '-'], { input });
    assert.equal(result.stdout, lines(['pod/cr-multi-a created', 'pod/cr-multi-b created']));
  });

  test('create namespace (an imperative create; kubectl sends a protobuf body)', async () => {
    const result = await cluster.ok(['create', 'namespace', 'cr-ns']);
    assert.deepEqual({ stdout: result.stdout, stderr: result.stderr }, { stdout: 'namespace/cr-ns created\n', stderr: '' });
    assert.equal((await cluster.ok(['get', 'namespace', 'cr-ns', '-o', 'jsonpath={.status.phase}'])).stdout, 'Active');
  });

  test('apply -f creates, then leaves unchanged, then configures', async () => {
    const v1 = podManifest('ap-x', { labels: { app: 'ap-x', tier: 'a' } });
    const created = await cluster.ok(['apply', '-f', '-'], { input: v1 });
    assert.equal(created.stdout, 'pod/ap-x created\n');
    const lastApplied = await cluster.jsonpath('ap-x', String.raw`{.metadata.annotations.kubectl\.kubernetes\.io/last-applied-configuration}`);
    assert.equal(JSON.parse(lastApplied).metadata.name, 'ap-x', `last-applied-configuration annotation: ${lastApplied}`);

    const again = await cluster.ok(['apply', '-f', '-'], { input: v1 });
    assert.equal(again.stdout, 'pod/ap-x unchanged\n');

    const v2 = podManifest('ap-x', { labels: { app: 'ap-x', tier: 'b' }, containers: { app: 'nginx:1.26' } });
    const configured = await cluster.ok(['apply', '-f', '-'], { input: v2 });
    assert.equal(configured.stdout, 'pod/ap-x configured\n');
    assert.equal(await cluster.jsonpath('ap-x', '{.metadata.labels.tier} {.spec.containers[0].image}'), 'b nginx:1.26');

    const removedLabel = podManifest('ap-x', { labels: { app: 'ap-x' }, containers: { app: 'nginx:1.26' } });
    assert.equal((await cluster.ok(['apply', '-f', '-'], { input: removedLabel })).stdout, 'pod/ap-x configured\n');
    assert.equal(await cluster.jsonpath('ap-x', '{.metadata.labels}'), '{"app":"ap-x"}');
  });

  test('apply --server-side creates and then updates', async () => {
    const first = await cluster.ok(['apply', '--server-side', '-f', '-'], { input: podManifest('ssa-y', { labels: { app: 'ssa-y' } }) });
    assert.equal(first.stdout, 'pod/ssa-y serverside-applied\n');
    assert.equal(await cluster.jsonpath('ssa-y', '{.spec.containers[0].image}'), 'nginx:1.25');

    const changed = podManifest('ssa-y', { labels: { app: 'ssa-y', stage: 'two' }, containers: { app: 'nginx:1.27' } });
    const second = await cluster.ok(['apply', '--server-side', '-f', '-'], { input: changed });
    assert.equal(second.stdout, 'pod/ssa-y serverside-applied\n');
    assert.equal(await cluster.jsonpath('ssa-y', '{.spec.containers[0].image} {.metadata.labels.stage}'), 'nginx:1.27 two');
  });

  test('apply --server-side conflicts with the field manager of an earlier write, until forced', async () => {
    const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-owned\n  labels:\n    tier: a\ndata:\n  x: "1"\n';
    assert.equal((await cluster.ok(['apply', '--server-side', '-f', '-'], { input: manifest })).stdout, 'configmap/ssa-owned serverside-applied\n');
    await cluster.ok(['label', 'configmap', 'ssa-owned', 'tier=b', '--overwrite']);
    const conflict = await cluster.run(['apply', '--server-side', '-f', '-'], { input: manifest });
    assert.equal(conflict.code, 1);
    assert.equal(conflict.stderr.split('\n')[0], 'error: Apply failed with 1 conflict: conflict with "kubectl-label" using v1: .metadata.labels.tier');
    const forced = await cluster.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: manifest });
    assert.equal(forced.stdout, 'configmap/ssa-owned serverside-applied\n');
    const tier = await cluster.ok(['get', 'configmap', 'ssa-owned', '-o', 'jsonpath={.metadata.labels.tier}']);
    assert.equal(tier.stdout, 'a');
  });
}
