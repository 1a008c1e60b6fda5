// The agent's Node against a real in-process API server with the node IPAM controller:
// registration, re-registration after a restart, the heartbeat Lease, pod CIDR fallback.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Lease } from 'kubernetes-types/coordination/v1.d.ts';
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { NodeAgent, type NodeAgentOptions } from '../../src/agent/node/agent.ts';
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.ts';
import { versionInfo } from '../../src/api/discovery/version.ts';
import { countPatches, eventReasons, eventually, startCluster, type TestCluster } from './support.ts';

const leasePath = (name: string) => `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;

describe('node agent', () => {
  let cluster: TestCluster;
  let ipam: NodeIpamController;

  before(async () => {
    cluster = await startCluster();
    ipam = new NodeIpamController(cluster.client);
    await ipam.start();
  });

  after(async () => {
    await ipam.stop();
    await cluster.close();
  });

  const options = (nodeName: string, extra: Partial<NodeAgentOptions> = {}): NodeAgentOptions => ({
    nodeName,
    labels: { 'pool.example.com/tier': 'gold' },
    address: '127.0.0.1',
    kubeletPort: 10250,
    dataDir: cluster.dir,
    runtimeVersion: 'runc://1.1.5',
    ...extra,
  });

  test('registers a Node with the kubelet labels, status, conditions and events, and gets a pod CIDR', async () => {
    const agent = new NodeAgent(cluster.client, options('node-a'));
    try {
      const { node, podCidr } = await agent.start();
      assert.equal(podCidr, '10.42.0.0/24');
      assert.deepEqual(node.spec?.podCIDRs, ['10.42.0.0/24']);
      const stored = await cluster.client.get<Node>('/api/v1/nodes/node-a');
      assert.deepEqual(stored.metadata?.labels, {
        'kubernetes.io/hostname': 'node-a',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'beta.kubernetes.io/arch': 'amd64',
        'pool.example.com/tier': 'gold',
      });
      const status = stored.status!;
      assert.deepEqual(status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-a' }]);
      assert.deepEqual(status.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
      assert.equal(status.nodeInfo?.kubeletVersion, versionInfo().gitVersion);
      assert.equal(status.nodeInfo?.containerRuntimeVersion, 'runc://1.1.5');
      assert.equal(status.nodeInfo?.operatingSystem, 'linux');
      assert.equal(status.nodeInfo?.architecture, 'amd64');
      assert.match(status.nodeInfo?.bootID ?? '', /^[0-9a-f-]{36}$/);
      assert.deepEqual(Object.keys(status.capacity ?? {}).sort(), ['cpu', 'ephemeral-storage', 'hugepages-1Gi', 'hugepages-2Mi', 'memory', 'pods']);
      assert.equal(status.capacity?.pods, '110');
      assert.notEqual(status.allocatable?.memory, status.capacity?.memory);
      const conditions = status.conditions ?? [];
      assert.deepEqual(conditions.map((c) => [c.type, c.status, c.reason]), [
        ['MemoryPressure', 'False', 'KubeletHasSufficientMemory'],
        ['DiskPressure', 'False', 'KubeletHasNoDiskPressure'],
        ['PIDPressure', 'False', 'KubeletHasSufficientPID'],
        ['Ready', 'True', 'KubeletReady'],
      ]);
      assert.equal(conditions[3]?.message, 'kubelet is posting ready status');
      assert.deepEqual(agent.node().metadata?.uid, stored.metadata?.uid);
      const reasons = await eventually('node events', async () => {
        const r = await eventReasons(cluster.client, 'node-a');
        return r.includes('NodeReady') ? r : undefined;
      });
      for (const reason of ['Starting', 'NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID', 'NodeReady']) {
        assert.ok(reasons.includes(reason), `${reason} in ${reasons.join(',')}`);
      }
    } finally {
      await agent.stop();
    }
  });

  test('an agent restarting on an existing Node keeps it, fixes its labels and reports status again', async () => {
    const first = new NodeAgent(cluster.client, options('node-b'));
    const { node } = await first.start();
    await first.stop();
    await cluster.client.patch('/api/v1/nodes/node-b', { metadata: { labels: { 'kubernetes.io/os': 'plan9', 'team.example.com/owner': 'ops' } } }, 'strategic');
    await cluster.client.patch('/api/v1/nodes/node-b/status', { status: { nodeInfo: { bootID: 'old-boot' } } }, 'strategic');
    const second = new NodeAgent(cluster.client, options('node-b', { labels: { 'pool.example.com/tier': 'silver' } }));
    try {
      const again = await second.start();
      assert.equal(again.node.metadata?.uid, node.metadata?.uid);
      assert.equal(again.podCidr, node.spec?.podCIDR);
      const stored = await cluster.client.get<Node>('/api/v1/nodes/node-b');
      assert.equal(stored.metadata?.labels?.['kubernetes.io/os'], 'linux');
      assert.equal(stored.metadata?.labels?.['team.example.com/owner'], 'ops');
      assert.equal(stored.metadata?.labels?.['pool.example.com/tier'], 'silver');
      assert.notEqual(stored.status?.nodeInfo?.bootID, 'old-boot');
    } finally {
      await second.stop();
    }
  });

  test('the Lease is created owned by the Node and renewed on its interval', async () => {
    const agent = new NodeAgent(cluster.client, options('node-c', { leaseRenewIntervalMs: 30 }));
    try {
      const { node } = await agent.start();
      const renewals = new Set<string>();
      const lease = await eventually('three lease renewals', async () => {
        const l = await cluster.client.get<Lease>(leasePath('node-c')).catch(() => undefined);
        if (l?.spec?.renewTime) renewals.add(l.spec.renewTime);
        return renewals.size >= 3 ? l : undefined;
      });
      assert.equal(lease?.spec?.holderIdentity, 'node-c');
      assert.equal(lease?.spec?.leaseDurationSeconds, 40);
      assert.match(lease?.spec?.renewTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.deepEqual(lease?.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'node-c', uid: node.metadata?.uid }]);
    } finally {
      await agent.stop();
    }
  });

  test('the agent marks its node not ready and ready again with one status patch each', async () => {
    const agent = new NodeAgent(cluster.client, options('node-d'));
    try {
      await agent.start();
      const patches = countPatches(cluster.client);
      await agent.setNotReady('runtime', 'container runtime is down');
      const ready = agent.node().status?.conditions?.find((c) => c.type === 'Ready');
      assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['False', 'KubeletNotReady', 'container runtime is down']);
      await agent.setNotReady('runtime', undefined);
      assert.equal(agent.node().status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      assert.deepEqual(patches.filter((p) => p.startsWith('/api/v1/nodes/')), ['/api/v1/nodes/node-d/status', '/api/v1/nodes/node-d/status']);
      await eventually('NodeNotReady event', async () => ((await eventReasons(cluster.client, 'node-d')).includes('NodeNotReady') ? true : undefined));
    } finally {
      await agent.stop();
    }
  });

  test('without an assignment in time the agent claims its fallback pod CIDR', async () => {
    await ipam.stop();
    const agent = new NodeAgent(cluster.client, options('node-e', { podCidrFallback: '10.200.7.0/24', podCidrWaitMs: 50 }));
    try {
      const { podCidr, node } = await agent.start();
      assert.equal(podCidr, '10.200.7.0/24');
      assert.deepEqual(node.spec?.podCIDRs, ['10.200.7.0/24']);
    } finally {
      await agent.stop();
      ipam = new NodeIpamController(cluster.client);
      await ipam.start();
    }
  });
});
