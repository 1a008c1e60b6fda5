// The node IPAM controller against a real in-process API server.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { NodeIpamController } from '../../src/controllers/nodeipam/controller.ts';
import { eventReasons, eventually, startCluster, type TestCluster } from '../agent-node/support.ts';

describe('node ipam controller', () => {
  let cluster: TestCluster;
  let controller: NodeIpamController;
  const quiet = console.error;

  const start = async () => {
    controller = new NodeIpamController(cluster.client, { clusterCIDR: '10.99.0.0/22', nodeCIDRMaskSize: 24 });
    await controller.start();
  };
  const createNode = (name: string) => cluster.client.create<Node>('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  const deleteNode = (name: string) => cluster.client.delete(`/api/v1/nodes/${name}`);
  const podCIDR = (name: string) => eventually(`pod CIDR of ${name}`, async () => {
    const node = await cluster.client.get<Node>(`/api/v1/nodes/${name}`);
    if (!node.spec?.podCIDR) return undefined;
    assert.deepEqual(node.spec.podCIDRs, [node.spec.podCIDR]);
    return node.spec.podCIDR;
  });

  before(async () => {
    cluster = await startCluster();
    await start();
  });
  after(async () => {
    console.error = quiet;
    await controller.stop();
    await cluster.close();
  });

  test('three nodes get three distinct subnets', async () => {
    for (const name of ['n1', 'n2', 'n3']) await createNode(name);
    assert.deepEqual([await podCIDR('n1'), await podCIDR('n2'), await podCIDR('n3')].sort(), ['10.99.0.0/24', '10.99.1.0/24', '10.99.2.0/24']);
  });

  test('a restarted controller recovers what nodes hold and hands out only free subnets', async () => {
    await controller.stop();
    await start();
    await createNode('n4');
    assert.equal(await podCIDR('n4'), '10.99.3.0/24');
  });

  test("a deleted node's subnet goes to the next node", async () => {
    const freed = await podCIDR('n2');
    await deleteNode('n2');
    await createNode('n5');
    assert.equal(await podCIDR('n5'), freed);
  });

  test('an exhausted range is reported on the node, which gets a subnet once one is freed', async () => {
    console.error = () => undefined;
    await createNode('n6');
    await eventually('CIDRNotAvailable event', async () => ((await eventReasons(cluster.client, 'n6')).includes('CIDRNotAvailable') ? true : undefined));
    const none = await cluster.client.get<Node>('/api/v1/nodes/n6');
    assert.equal(none.spec?.podCIDR, undefined);
    const freed = await podCIDR('n1');
    await deleteNode('n1');
    assert.equal(await podCIDR('n6'), freed);
    console.error = quiet;
  });
});
