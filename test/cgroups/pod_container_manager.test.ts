// The QoS tiers and pod cgroups on this host's cgroup v1 filesystem, under a root of the test's own.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { cgroupDirsPresent, readCgroupFile, removeCgroup } from '../../src/agent/cgroups/cgroupfs.ts';
import { PodContainerManager } from '../../src/agent/cgroups/pod_container_manager.ts';
import { QOSContainerManager } from '../../src/agent/cgroups/qos_container_manager.ts';

const root = `/peapod-unit-${randomBytes(4).toString('hex')}`;
const MiB = 1024 * 1024;

function pod(uid: string, resources: NonNullable<Pod['spec']>['containers'][number]['resources']): Pod {
  return { metadata: { uid }, spec: { containers: [{ name: 'c', resources }] } };
}

describe('pod cgroups on cgroupfs', () => {
  const active: Pod[] = [];
  const qos = new QOSContainerManager(root, () => active);
  const pods = new PodContainerManager(qos, 32);

  before(async () => { await qos.start({ milliCPU: 2000, memoryBytes: 512 * MiB }); });
  after(async () => { await removeCgroup(root); });

  test('kubepods carries the node allocatable, the tiers their weights', async () => {
    assert.equal(await readCgroupFile('cpu', `${root}/kubepods`, 'cpu.shares'), '2048');
    assert.equal(await readCgroupFile('memory', `${root}/kubepods`, 'memory.limit_in_bytes'), String(512 * MiB));
    assert.equal(await readCgroupFile('cpu', `${root}/kubepods/besteffort`, 'cpu.shares'), '2');
    assert.equal(await readCgroupFile('cpu', `${root}/kubepods/burstable`, 'cpu.shares'), '2');
  });

  test('a Burstable pod: its cgroup in the tier with its values; the tier weighs it; destroy removes it everywhere', async () => {
    const burstable = pod('b-1', { requests: { cpu: '250m', memory: '16Mi' }, limits: { cpu: '500m', memory: '32Mi' } });
    active.push(burstable);
    const name = await pods.ensureExists(burstable);
    assert.equal(name, `${root}/kubepods/burstable/podb-1`);
    const values = await Promise.all([
      readCgroupFile('cpu', name, 'cpu.shares'), readCgroupFile('cpu', name, 'cpu.cfs_quota_us'),
      readCgroupFile('memory', name, 'memory.limit_in_bytes'), readCgroupFile('pids', name, 'pids.max'),
    ]);
    assert.deepEqual(values, ['256', '50000', String(32 * MiB), '32']);
    assert.equal(await readCgroupFile('cpu', `${root}/kubepods/burstable`, 'cpu.shares'), '256');
    assert.equal(await pods.ensureExists(burstable), name, 'ensureExists is idempotent');
    // Still listed (terminating in the API): a removed pod no longer weighs on the tier.
    await pods.destroy('b-1');
    active.pop();
    assert.deepEqual(await cgroupDirsPresent(name), []);
    assert.equal(await readCgroupFile('cpu', `${root}/kubepods/burstable`, 'cpu.shares'), '2');
  });

  test('a Guaranteed pod sits in kubepods itself, a BestEffort one in its tier', async () => {
    const guaranteed = pod('g-1', { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } });
    assert.equal(await pods.ensureExists(guaranteed), `${root}/kubepods/podg-1`);
    assert.equal(await pods.ensureExists(pod('e-1', {})), `${root}/kubepods/besteffort/pode-1`);
    assert.equal(await readCgroupFile('memory', `${root}/kubepods/besteffort/pode-1`, 'memory.limit_in_bytes'), '9223372036854771712');
    await pods.destroy('g-1');
    await pods.destroy('e-1');
    await pods.destroy('e-1');
    assert.deepEqual([...await cgroupDirsPresent(`${root}/kubepods/podg-1`), ...await cgroupDirsPresent(`${root}/kubepods/besteffort/pode-1`)], []);
  });
});
