// The node's pod masquerade rules on the real iptables: made, made again (a changed CIDR replaces
// them), removed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureNodeMasquerade, masqueradeChain, removeNodeMasquerade } from '../../src/agent/network/masquerade.ts';
import { sh } from './host.ts';

const bridge = `ppmasq${process.pid % 10000}`;
const chain = masqueradeChain(bridge);

async function natRules(): Promise<string[]> {
  return (await sh('iptables', ['-w', '-t', 'nat', '-S'])).split('\n').filter((line) => line.includes(chain));
}

after(() => removeNodeMasquerade(bridge));

test('one chain masquerades the pod CIDR but for itself and multicast; ensure is idempotent, remove leaves nothing', async () => {
  await ensureNodeMasquerade('10.244.232.0/24', bridge);
  await ensureNodeMasquerade('10.244.232.0/24', bridge);
  assert.deepEqual(await natRules(), [
    `-N ${chain}`,
    `-A POSTROUTING -s 10.244.232.0/24 -m comment --comment "peapod masquerade for ${bridge}" -j ${chain}`,
    `-A ${chain} -d 10.244.232.0/24 -j ACCEPT`,
    `-A ${chain} -d 224.0.0.0/4 -j ACCEPT`,
    `-A ${chain} -j MASQUERADE`,
  ]);
  await ensureNodeMasquerade('10.244.233.0/24', bridge);
  assert.deepEqual((await natRules()).filter((line) => line.includes('10.244.232.')), [], 'the old CIDR is gone');
  assert.equal((await natRules()).length, 5);
  await removeNodeMasquerade(bridge);
  await removeNodeMasquerade(bridge);
  assert.deepEqual(await natRules(), []);
});
