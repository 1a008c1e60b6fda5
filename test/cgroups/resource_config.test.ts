// The pod cgroup's values (ResourceConfigForPod) and the CFS conversions, per QoS class.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { milliCPUToQuota, milliCPUToShares } from '../../src/agent/cgroups/cpu.ts';
import { resourceConfigForPod } from '../../src/agent/cgroups/resource_config.ts';

const MiB = 1024 * 1024;

function pod(containers: Container['resources'][], extra: Partial<Pod['spec']> = {}): Pod {
  return { metadata: { uid: 'u' }, spec: { containers: containers.map((resources, i) => ({ name: `c${i}`, resources })), ...extra } };
}

describe('CFS conversions', () => {
  test('shares: 1024 per core, at least 2, at most 262144', () => {
    assert.deepEqual([0, 1, 100, 200, 1000, 2500, 1_000_000].map(milliCPUToShares), [2, 2, 102, 204, 1024, 2560, 262144]);
  });

  test('quota: the share of a 100 ms period, at least 1 ms; 0 for no limit', () => {
    assert.deepEqual([0, 5, 200, 1000, 2500].map((m) => milliCPUToQuota(m)), [0, 1000, 20_000, 100_000, 250_000]);
    assert.equal(milliCPUToQuota(500, 50_000), 25_000);
  });
});

describe('resourceConfigForPod', () => {
  test('Guaranteed: shares, quota, period and memory limit from the summed containers', () => {
    const both = { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '100m', memory: '32Mi' } };
    assert.deepEqual(resourceConfigForPod(pod([both, both])), { cpuShares: 204, cpuQuota: 20_000, cpuPeriod: 100_000, memoryLimit: 64 * MiB });
  });

  test('Burstable: quota and memory only when every container has that limit', () => {
    const limited = { requests: { cpu: '100m', memory: '16Mi' }, limits: { cpu: '200m', memory: '32Mi' } };
    assert.deepEqual(resourceConfigForPod(pod([limited])), { cpuShares: 102, cpuQuota: 20_000, cpuPeriod: 100_000, memoryLimit: 32 * MiB });
    const cpuOnly = { requests: { cpu: '100m' }, limits: { cpu: '100m' } };
    assert.deepEqual(resourceConfigForPod(pod([limited, cpuOnly])), { cpuShares: 204, cpuQuota: 30_000, cpuPeriod: 100_000 });
    assert.deepEqual(resourceConfigForPod(pod([limited, {}])), { cpuShares: 102 });
  });

  test('BestEffort: the smallest weight and nothing else', () => {
    assert.deepEqual(resourceConfigForPod(pod([{}, {}])), { cpuShares: 2 });
  });

  test('--pod-max-pids applies to every class; -1 and 0 leave pids unlimited', () => {
    assert.deepEqual(resourceConfigForPod(pod([{}]), 64), { cpuShares: 2, pidsLimit: 64 });
    assert.deepEqual(resourceConfigForPod(pod([{}]), -1), { cpuShares: 2 });
    assert.deepEqual(resourceConfigForPod(pod([{}]), 0), { cpuShares: 2 });
  });

  test('init containers: the largest counts when it exceeds the app containers; sidecars add up; overhead adds', () => {
    const res = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });
    const init = { initContainers: [{ name: 'init', resources: res('500m', '128Mi') }] };
    assert.deepEqual(resourceConfigForPod(pod([res('100m', '32Mi')], init)), { cpuShares: 512, cpuQuota: 50_000, cpuPeriod: 100_000, memoryLimit: 128 * MiB });
    const sidecar = { initContainers: [{ name: 'side', restartPolicy: 'Always', resources: res('100m', '32Mi') }] };
    assert.deepEqual(resourceConfigForPod(pod([res('100m', '32Mi')], sidecar)).memoryLimit, 64 * MiB);
    const overhead = { overhead: { cpu: '50m', memory: '8Mi' } };
    assert.deepEqual(resourceConfigForPod(pod([res('100m', '32Mi')], overhead)), { cpuShares: 153, cpuQuota: 15_000, cpuPeriod: 100_000, memoryLimit: 40 * MiB });
  });

  test('the class recorded in status decides, as it never changes', () => {
    const recorded: Pod = { ...pod([{ requests: { cpu: '100m' }, limits: { cpu: '100m', memory: '1Gi' } }]), status: { qosClass: 'BestEffort' } };
    assert.deepEqual(resourceConfigForPod(recorded), { cpuShares: 2 });
  });
});
