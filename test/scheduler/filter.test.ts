// The scheduler's filters and the FailedScheduling message, in kube-scheduler 1.32's words.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { firstFailure, unschedulableMessage, type NodeInfo } from '../../src/scheduler/filter.ts';
import { podRequests } from '../../src/scheduler/resources.ts';

function node(name: string, allocatable: Record<string, string> = { cpu: '2', memory: '4Gi', pods: '110' }, extra: Partial<Node['spec']> = {}): Node {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: extra,
    status: { allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(requests: Record<string, string> = {}, extra: Partial<Pod['spec']> = {}): Pod {
  const container: Container = { name: 'c', image: 'busybox', resources: { requests } };
  return { metadata: { name: 'p', namespace: 'default' }, spec: { containers: [container], ...extra } };
}

const on = (n: Node, pods: Pod[] = []): NodeInfo => ({ node: n, pods });

describe('scheduler filters', () => {
  test('requests beyond what is left of allocatable: every short resource is a reason, preemption could help', () => {
    assert.deepEqual(firstFailure(pod({ memory: '5Gi' }), on(node('a'))), { reasons: ['Insufficient memory'], unresolvable: false });
    assert.deepEqual(firstFailure(pod({ cpu: '3', memory: '5Gi' }), on(node('a'))), { reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false });
    const running = [pod({ cpu: '1500m' })];
    assert.deepEqual(firstFailure(pod({ cpu: '600m' }), on(node('a'), running))?.reasons, ['Insufficient cpu']);
    assert.equal(firstFailure(pod({ cpu: '500m' }), on(node('a'), running)), undefined, 'exactly what is left fits');
  });

  test('a pod requesting nothing fits a full node; a node at its pod count does not', () => {
    const full = [pod({ cpu: '2', memory: '4Gi' })];
    assert.equal(firstFailure(pod(), on(node('a'), full)), undefined);
    assert.deepEqual(firstFailure(pod(), on(node('a', { cpu: '2', memory: '4Gi', pods: '1' }), full))?.reasons, ['Too many pods']);
  });

  test('init containers and sidecars count as the kubelet runs them', () => {
    const init = pod({ cpu: '100m' }, { initContainers: [{ name: 'i', resources: { requests: { cpu: '1500m' } } }, { name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } }] });
    assert.deepEqual(podRequests(init), { cpu: 1500, memory: 0 });
    const sidecarFirst = pod({ cpu: '100m' }, { initContainers: [{ name: 's', restartPolicy: 'Always', resources: { requests: { cpu: '200m' } } }, { name: 'i', resources: { requests: { cpu: '1500m' } } }] });
    assert.deepEqual(podRequests(sidecarFirst), { cpu: 1700, memory: 0 });
  });

  test('unschedulable, taints and selectors come first and cannot be helped by preemption', () => {
    const cordoned = node('a', undefined, { unschedulable: true });
    assert.deepEqual(firstFailure(pod({ memory: '5Gi' }), on(cordoned)), { reasons: ['node(s) were unschedulable'], unresolvable: true });
    const notReady: Node = { ...node('b'), status: { ...node('b').status, conditions: [{ type: 'Ready', status: 'False' }] } };
    assert.deepEqual(firstFailure(pod(), on(notReady))?.reasons, ['node(s) had untolerated taint {node.kubernetes.io/not-ready: }']);
    assert.deepEqual(firstFailure(pod({}, { nodeSelector: { disk: 'ssd' } }), on(node('c')))?.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  });

  test('host ports in use come before resources', () => {
    const withPort = (p: Pod): Pod => ({ ...p, spec: { ...p.spec!, containers: [{ ...p.spec!.containers[0]!, ports: [{ containerPort: 80, hostPort: 8080 }] }] } });
    assert.deepEqual(firstFailure(withPort(pod({ memory: '5Gi' })), on(node('a'), [withPort(pod())])), {
      reasons: ["node(s) didn't have free ports for the requested pod ports"], unresolvable: false,
    });
  });
});

describe('FailedScheduling message', () => {
  test('one node short of memory', () => {
    assert.equal(
      unschedulableMessage(1, [{ reasons: ['Insufficient memory'], unresolvable: false }]),
      '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  test('reasons counted across nodes and sorted; preemption told per node', () => {
    const message = unschedulableMessage(3, [
      { reasons: ['Insufficient cpu', 'Insufficient memory'], unresolvable: false },
      { reasons: ["node(s) didn't match Pod's node affinity/selector"], unresolvable: true },
      { reasons: ['Insufficient cpu'], unresolvable: false },
    ]);
    assert.equal(message, "0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. "
      + 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.');
  });

  test('no nodes at all', () => {
    assert.equal(unschedulableMessage(0, []), 'no nodes available to schedule pods');
  });
});
