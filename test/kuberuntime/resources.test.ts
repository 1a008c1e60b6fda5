// A container's cgroup values from its requests and limits (the kubelet's generateLinuxContainerResources).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import { linuxContainerResources } from '../../src/agent/kuberuntime/resources.ts';

const MiB = 1024 * 1024;
const withResources = (resources: Container['resources']): Container => ({ name: 'c', resources });

describe('linuxContainerResources', () => {
  test('requests give the shares, limits the quota and the memory limit with swap equal to it', () => {
    const r = linuxContainerResources(withResources({ requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '200m', memory: '64Mi' } }));
    assert.deepEqual(r, { cpuShares: 102, cpuQuota: 20_000, cpuPeriod: 100_000, memoryLimitInBytes: 64 * MiB, memorySwapLimitInBytes: 64 * MiB });
  });

  test('nothing requested or limited: 2 shares, no quota, no memory limit', () => {
    assert.deepEqual(linuxContainerResources({ name: 'c' }), { cpuShares: 2, cpuPeriod: 100_000 });
  });

  test('a cpu limit without a request gives shares from the limit', () => {
    assert.deepEqual(linuxContainerResources(withResources({ limits: { cpu: '1500m' } })), { cpuShares: 1536, cpuQuota: 150_000, cpuPeriod: 100_000 });
  });

  test('a tiny limit gets the smallest quota the kernel takes (1 ms), a tiny request 2 shares', () => {
    const r = linuxContainerResources(withResources({ requests: { cpu: '1m' }, limits: { cpu: '5m' } }));
    assert.deepEqual([r.cpuShares, r.cpuQuota], [2, 1000]);
  });

  test('a memory limit given in other units is in bytes', () => {
    assert.equal(linuxContainerResources(withResources({ limits: { memory: '1G' } })).memoryLimitInBytes, 1_000_000_000);
  });
});
