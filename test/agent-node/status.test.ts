// The node status loop writes only when something changed or a report is due, and the pure
// parts (conditions, patches, capacity) follow the kubelet's rules.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, NodeCondition } from 'kubernetes-types/core/v1.d.ts';
import { nodeAllocatable, nodeCapacity } from '../../src/agent/node/capacity.ts';
import { setNodeConditions, type NodeHealth } from '../../src/agent/node/conditions.ts';
import { memTotalBytes, prettyName, type MachineInfo } from '../../src/agent/node/machine.ts';
import { tryRegisterWithAPIServer } from '../../src/agent/node/register.ts';
import { NodeStatusManager } from '../../src/agent/node/status.ts';
import { statusChanged, statusPatch } from '../../src/agent/node/statuspatch.ts';
import { countPatches, startCluster, type TestCluster } from './support.ts';

const machine: MachineInfo = {
  cpus: 4,
  memoryBytes: 8n * 1024n ** 3n,
  filesystemBytes: 100n * 1024n ** 3n,
  machineID: 'm',
  systemUUID: 'u',
  bootID: 'b',
  kernelVersion: '6.1.0',
  osImage: 'Debian GNU/Linux 12 (bookworm)',
};
const healthy: NodeHealth = { memoryPressure: false, diskPressure: false, pidPressure: false, notReady: [] };

describe('node conditions', () => {
  test('a flip moves lastTransitionTime and records its event; a repeat moves only the heartbeat', () => {
    const events: string[] = [];
    const first = setNodeConditions([], healthy, 't1', (e) => events.push(e));
    assert.deepEqual(events, ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']);
    const second = setNodeConditions(first, healthy, 't2', (e) => events.push(e));
    assert.equal(events.length, 4);
    assert.ok(second.every((c) => c.lastHeartbeatTime === 't2' && c.lastTransitionTime === 't1'));
    const down = setNodeConditions(second, { ...healthy, memoryPressure: true, notReady: ['container runtime is down', 'network not ready'] }, 't3', (e) => events.push(e));
    assert.deepEqual(events.slice(4), ['NodeHasInsufficientMemory', 'NodeNotReady']);
    const byType = (t: string) => down.find((c) => c.type === t) as NodeCondition;
    assert.deepEqual([byType('MemoryPressure').reason, byType('MemoryPressure').message], ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available']);
    assert.deepEqual([byType('Ready').status, byType('Ready').message, byType('Ready').lastTransitionTime], ['False', '[container runtime is down, network not ready]', 't3']);
  });

  test('conditions others own are kept', () => {
    const network: NodeCondition = { type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' };
    const out = setNodeConditions([network], healthy, 't', () => undefined);
    assert.deepEqual(out[0], network);
    assert.equal(out.length, 5);
  });
});

describe('status comparison and patch', () => {
  const base = { capacity: { cpu: '4', 'example.com/dev': '1' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't1' }] };

  test('heartbeat times alone are no change', () => {
    assert.equal(statusChanged(base, { ...base, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2' }] }), false);
    assert.equal(statusChanged(base, { ...base, capacity: { cpu: '8', 'example.com/dev': '1' } }), true);
  });

  test('the patch carries changed fields, removed resources as null, and every condition in order', () => {
    const next = { capacity: { cpu: '8' }, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 't2' }] };
    assert.deepEqual(statusPatch(base, next), {
      status: {
        capacity: { cpu: '8', 'example.com/dev': null },
        '$setElementOrder/conditions': [{ type: 'Ready' }],
        conditions: next.conditions,
      },
    });
  });
});

describe('machine facts', () => {
  test('capacity and allocatable as the kubelet computes them with default eviction thresholds', () => {
    const capacity = nodeCapacity(machine);
    assert.deepEqual(capacity, { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0' });
    const allocatable = nodeAllocatable(machine, capacity);
    assert.equal(allocatable.memory, '8092Mi');
    // 10% as a float32 (0.10000000149…) of 100Gi, truncated, in the API's canonical form.
    assert.equal(107374182400 - Math.trunc(107374182400 * Math.fround(0.1)), 96636764000);
    assert.equal(allocatable['ephemeral-storage'], '96636764k');
  });

  test('meminfo and os-release parsing', () => {
    assert.equal(memTotalBytes('MemTotal:       16318420 kB\nMemFree: 1 kB\n'), 16318420n * 1024n);
    assert.equal(prettyName('NAME="Debian"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n'), 'Debian GNU/Linux 12 (bookworm)');
    assert.equal(prettyName('NAME=x\n'), 'Linux');
  });
});

describe('node status loop against the API server', () => {
  let cluster: TestCluster;
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    await cluster.close();
  });

  test('a PATCH only when the status changed or the report frequency passed', async () => {
    let now = new Date('2025-01-01T00:00:00Z');
    const facts = { nodeName: 'quiet', address: '10.0.0.5', kubeletPort: 10250, machine, runtimeVersion: 'runc://1.1.5' };
    const placeholder: Node = { metadata: { name: 'quiet' } };
    const status = new NodeStatusManager(cluster.client, facts, placeholder, { now: () => now, record: () => undefined, updateFrequencyMs: 3_600_000 });
    const initial: Node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'quiet' }, status: status.computeStatus(undefined) };
    status.observe(await tryRegisterWithAPIServer(cluster.client, initial));
    status.start();
    const patches = countPatches(cluster.client);
    try {
      for (let i = 0; i < 5; i++) {
        now = new Date(now.getTime() + 10_000);
        assert.equal(await status.syncNodeStatus(), false, `round ${i}`);
      }
      assert.equal(patches.length, 0);

      status.setNotReady('runtime', 'container runtime is down');
      assert.equal(await status.syncNodeStatus(), true);
      assert.equal(await status.syncNodeStatus(), false);

      now = new Date(now.getTime() + 5 * 60_000);
      assert.equal(await status.syncNodeStatus(), true, 'report due after 5 minutes');
      assert.deepEqual(patches, ['/api/v1/nodes/quiet/status', '/api/v1/nodes/quiet/status']);
      const ready = status.node().status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.lastHeartbeatTime, now.toISOString().replace(/\.\d{3}Z$/, 'Z'));
      assert.equal(ready?.lastTransitionTime, '2025-01-01T00:00:50Z');
    } finally {
      await status.stop();
    }
  });
});
