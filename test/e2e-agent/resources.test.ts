// Requests and limits on real runc pods, driven by kubectl 1.32: the QoS class and the cgroups it
// puts a pod in (values read from /sys/fs/cgroup), a memory limit that OOM-kills, a CPU limit that
// throttles a busy loop to its share, the node's --pod-max-pids stopping a fork loop, and the
// scheduler keeping requests within the node's allocatable. The tests run one after another: the
// QoS tiers' values depend on which pods are active.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Container, Node } from 'kubernetes-types/core/v1.d.ts';
import { Quantity } from '../../src/api/quantity.ts';
import { cgroupDirsPresent, readCgroupFile } from '../../src/agent/cgroups/cgroupfs.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { createPod, deletePod, eventsInclude, kubectlOk, podEvents, podRow, podWith, statusBecomes } from './pod-helpers.ts';
import { getPod, runtimeId, slotFlagsOf, untilTerm, waitRunning } from './support.ts';

const timeout = 120_000;
const podMaxPids = 48;
const MiB = 1024 * 1024;
/** memory.limit_in_bytes of a cgroup without a limit. */
const unlimited = '9223372036854771712';

let server: TestServer;
let kubepods: string;

before(async () => {
  server = await startServer({ agent: true, args: ['--pod-max-pids', String(podMaxPids)] });
  kubepods = `${(await slotFlagsOf(server.pid ?? 0)).cgroupParent}/kubepods`;
});

// The server stops whatever happened before: a live server keeps this file's process alive.
after(async () => {
  if (server === undefined) return;
  try {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
  } finally {
    await server.stop();
  }
});

function container(resources: Container['resources'], command = untilTerm(), name = 'c'): Container {
  return { name, image: 'busybox', command, resources };
}

/** The pod's cgroup and its first container's, as the agent names them. */
async function cgroupsOf(name: string, tier: string): Promise<{ pod: string; container: string }> {
  const p = await getPod(server, name);
  const pod = `${kubepods}${tier}/pod${p.metadata?.uid}`;
  return { pod, container: `${pod}/${runtimeId(p.status?.containerStatuses?.[0]?.containerID)}` };
}

/** cpu.shares, cpu.cfs_quota_us, cpu.cfs_period_us, memory.limit_in_bytes of a cgroup. */
async function cpuAndMemory(path: string): Promise<string[]> {
  return Promise.all([
    readCgroupFile('cpu', path, 'cpu.shares'), readCgroupFile('cpu', path, 'cpu.cfs_quota_us'),
    readCgroupFile('cpu', path, 'cpu.cfs_period_us'), readCgroupFile('memory', path, 'memory.limit_in_bytes'),
  ]);
}

describe('pod resources on a real node', () => {
  test('QoS classes: status.qosClass, the tier each pod cgroup sits in, and pod and container cgroup values', { timeout }, async () => {
    await createPod(server, podWith('guaranteed', { containers: [container({ limits: { cpu: '200m', memory: '64Mi' } })] }));
    await createPod(server, podWith('burstable', { containers: [container({ requests: { cpu: '100m', memory: '32Mi' }, limits: { memory: '64Mi' } })] }));
    await createPod(server, podWith('besteffort', { containers: [container(undefined)] }));
    await waitRunning(server, ['guaranteed', 'burstable', 'besteffort']);
    const cases = [
      { name: 'guaranteed', qos: 'Guaranteed', tier: '', pod: ['204', '20000', '100000', String(64 * MiB)], container: ['204', '20000', '100000', String(64 * MiB)] },
      { name: 'burstable', qos: 'Burstable', tier: '/burstable', pod: ['102', '-1', '100000', String(64 * MiB)], container: ['102', '-1', '100000', String(64 * MiB)] },
      { name: 'besteffort', qos: 'BestEffort', tier: '/besteffort', pod: ['2', '-1', '100000', unlimited], container: ['2', '-1', '100000', unlimited] },
    ];
    for (const c of cases) {
      assert.equal((await getPod(server, c.name)).status?.qosClass, c.qos);
      assert.match(await kubectlOk(server, ['describe', 'pod', c.name]), new RegExp(`QoS Class:\\s+${c.qos}\\n`));
      const row = await podRow(server, c.name);
      assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['1/1', 'Running', '0']);
      const cgroups = await cgroupsOf(c.name, c.tier);
      assert.deepEqual(await cpuAndMemory(cgroups.pod), c.pod, `${c.name}: pod cgroup ${cgroups.pod}`);
      assert.equal(await readCgroupFile('pids', cgroups.pod, 'pids.max'), String(podMaxPids), `${c.name}: --pod-max-pids`);
      assert.deepEqual(await cpuAndMemory(cgroups.container), c.container, `${c.name}: container cgroup ${cgroups.container}`);
      assert.equal(await readCgroupFile('memory', cgroups.container, 'memory.memsw.limit_in_bytes'), c.container[3], `${c.name}: no swap beyond the limit`);
    }
    const node = JSON.parse(await kubectlOk(server, ['get', 'node', 'node1', '-o', 'json'])) as Node;
    const capacity = node.status?.capacity ?? {};
    assert.deepEqual(await Promise.all([readCgroupFile('cpu', kubepods, 'cpu.shares'), readCgroupFile('memory', kubepods, 'memory.limit_in_bytes')]),
      [String(Quantity.parse(capacity.cpu ?? '').value() * 1024), String(Quantity.parse(capacity.memory ?? '').value())]);
    assert.equal(await readCgroupFile('cpu', `${kubepods}/burstable`, 'cpu.shares'), '102', 'the Burstable tier weighs its pods\' requests');
    assert.equal(await readCgroupFile('cpu', `${kubepods}/besteffort`, 'cpu.shares'), '2');

    const podCgroups = await Promise.all(cases.map(async (c) => (await cgroupsOf(c.name, c.tier)).pod));
    // The Burstable pod goes last: its own removal must take its weight off the tier.
    for (const name of ['guaranteed', 'besteffort', 'burstable']) await deletePod(server, name);
    await eventually('pods gone', async () => ((await kubectlOk(server, ['get', 'pods', '-o', 'name'])) === '' ? true : undefined), 30_000);
    for (const path of podCgroups) assert.deepEqual(await cgroupDirsPresent(path), [], `${path} is left`);
    assert.equal(await readCgroupFile('cpu', `${kubepods}/burstable`, 'cpu.shares'), '2', 'no Burstable pod is left to weigh');
  });

  test('past its memory limit, restartPolicy Never: OOMKilled with 137, phase Failed, kubectl STATUS OOMKilled', { timeout }, async () => {
    await createPod(server, podWith('oom-once', { restartPolicy: 'Never', containers: [container({ limits: { memory: '32Mi' } }, memoryHog())] }));
    const row = await statusBecomes(server, 'oom-once', 'OOMKilled');
    assert.deepEqual([row.READY, row.RESTARTS], ['0/1', '0']);
    const status = (await getPod(server, 'oom-once')).status;
    assert.equal(status?.phase, 'Failed');
    const terminated = status?.containerStatuses?.[0]?.state?.terminated;
    assert.deepEqual([terminated?.reason, terminated?.exitCode], ['OOMKilled', 137]);
    assert.match(await kubectlOk(server, ['describe', 'pod', 'oom-once']), /State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137\n/);
    await eventsInclude(server, 'oom-once', ['Normal Started: Started container c']);
    await deletePod(server, 'oom-once');
  });

  test('past its memory limit, restartPolicy Always: OOMKilled in lastState, RESTARTS grows after the 10 s back-off', { timeout }, async () => {
    await createPod(server, podWith('oom-loop', { containers: [container({ limits: { memory: '32Mi' } }, memoryHog())] }));
    await statusBecomes(server, 'oom-loop', 'CrashLoopBackOff');
    // Restart 1 comes at once; restart 2 waits out the first back-off step (10 s) after attempt 1 ended.
    let attempt1Ended: number | undefined;
    const c = await eventually('two restarts', async () => {
      const status = (await getPod(server, 'oom-loop')).status?.containerStatuses?.[0];
      if (status?.restartCount === 1 && status.state?.waiting?.reason === 'CrashLoopBackOff') attempt1Ended = Date.parse(status.lastState?.terminated?.finishedAt ?? '');
      return (status?.restartCount ?? 0) >= 2 ? status : undefined;
    }, 60_000, 250);
    assert.equal(c.restartCount, 2);
    assert.deepEqual([c.lastState?.terminated?.reason, c.lastState?.terminated?.exitCode], ['OOMKilled', 137]);
    const attempt2Started = Date.parse(c.state?.running?.startedAt ?? c.state?.terminated?.startedAt ?? c.lastState?.terminated?.startedAt ?? '');
    assert.ok(attempt1Ended !== undefined, 'attempt 1 was seen backing off');
    const backOff = attempt2Started - attempt1Ended;
    assert.ok(backOff >= 9_000 && backOff <= 30_000, `restarted ${backOff} ms after the last exit`);
    const row = await statusBecomes(server, 'oom-loop', 'CrashLoopBackOff');
    assert.match(row.RESTARTS ?? '', /^2 \(\d+s ago\)$/);
    assert.equal(row.READY, '0/1');
    await eventsInclude(server, 'oom-loop', [/^Warning BackOff: Back-off restarting failed container c in pod oom-loop_default\(/]);
    await deletePod(server, 'oom-loop');
  });

  test('a memory limit too low for even the infra process: ContainerCreating with FailedCreatePodSandBox, runc\'s reason; nothing left', { timeout }, async () => {
    await createPod(server, podWith('too-small', { containers: [container({ limits: { memory: '1Mi' } })] }));
    await eventsInclude(server, 'too-small', [/^Warning FailedCreatePodSandBox: Failed to create pod sandbox: .*container init was OOM-killed \(memory limit too low\?\)/]);
    const row = await podRow(server, 'too-small');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['0/1', 'ContainerCreating', '0']);
    const pod = await getPod(server, 'too-small');
    assert.deepEqual(pod.status?.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    const podCgroup = `${kubepods}/burstable/pod${pod.metadata?.uid}`;
    await deletePod(server, 'too-small');
    assert.deepEqual(await cgroupDirsPresent(podCgroup), []);
  });

  test('a busy loop limited to 200m uses about a fifth of a core and is throttled', { timeout }, async (t) => {
    await createPod(server, podWith('busy', { containers: [container({ limits: { cpu: '200m' } }, ['sh', '-c', 'while :; do :; done'])], terminationGracePeriodSeconds: 1 }));
    await waitRunning(server, ['busy']);
    const { container: cgroup } = await cgroupsOf('busy', '/burstable');
    const usage = async () => ({ ns: Number(await readCgroupFile('cpuacct', cgroup, 'cpuacct.usage')), at: process.hrtime.bigint() });
    const first = await usage();
    await sleep(4_000); // a measurement over a few seconds, not a wait for a state
    const last = await usage();
    const cores = (last.ns - first.ns) / Number(last.at - first.at);
    t.diagnostic(`the loop used ${cores.toFixed(3)} of a core`);
    assert.ok(cores > 0.05 && cores < 0.3, `the loop used ${cores.toFixed(3)} of a core`);
    const stat = Object.fromEntries((await readCgroupFile('cpu', cgroup, 'cpu.stat')).split('\n').map((l) => l.split(' ')));
    assert.ok(Number(stat.nr_throttled) > 0, `throttled ${stat.nr_throttled} times`);
    const row = await podRow(server, 'busy');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['1/1', 'Running', '0']);
    await deletePod(server, 'busy');
  });

  test('--pod-max-pids stops a fork loop: forks fail at the pod\'s pids.max, the pod keeps running', { timeout }, async () => {
    const forks = '(for i in $(seq 1 200); do sleep 600 & done); echo limited; exec sleep 3600';
    await createPod(server, podWith('forks', { containers: [container(undefined, ['sh', '-c', forks])], terminationGracePeriodSeconds: 1 }));
    await waitRunning(server, ['forks']);
    const logs = await eventually('the fork loop to hit the limit', async () => {
      const out = await kubectlOk(server, ['logs', 'forks']);
      return out.includes('limited') ? out : undefined;
    }, 30_000, 250);
    assert.match(logs, /can't fork/);
    const cgroups = await cgroupsOf('forks', '/besteffort');
    assert.equal(await readCgroupFile('pids', cgroups.pod, 'pids.max'), String(podMaxPids));
    const current = Number(await readCgroupFile('pids', cgroups.pod, 'pids.current'));
    assert.ok(current <= podMaxPids && current >= podMaxPids - 5, `${current} processes in the pod`);
    // The kernel counts a refused fork in the cgroup that forked, below the pod's limit.
    assert.match(await readCgroupFile('pids', cgroups.container, 'pids.events'), /^max [1-9]\d*$/m);
    const row = await podRow(server, 'forks');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['1/1', 'Running', '0']);
    await deletePod(server, 'forks');
  });

  test('requests beyond allocatable stay Pending with FailedScheduling; a pod that fits once another leaves is bound then', { timeout }, async () => {
    const wanted = '0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    await createPod(server, podWith('too-big', { containers: [container({ requests: { memory: '1Ti' } })] }));
    await eventsInclude(server, 'too-big', [`Warning FailedScheduling: ${wanted}`]);
    const pending = await getPod(server, 'too-big');
    assert.equal(pending.status?.phase, 'Pending');
    assert.equal(pending.spec?.nodeName, undefined);
    const scheduled = pending.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual([scheduled?.status, scheduled?.reason, scheduled?.message], ['False', 'Unschedulable', wanted]);
    const row = await podRow(server, 'too-big');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['0/1', 'Pending', '0']);
    assert.equal((await podEvents(server, 'too-big')).find((e) => e.reason === 'FailedScheduling')?.source?.component, 'default-scheduler');
    await deletePod(server, 'too-big');

    const node = JSON.parse(await kubectlOk(server, ['get', 'node', 'node1', '-o', 'json'])) as Node;
    const allocatable = Quantity.parse(node.status?.allocatable?.cpu ?? '0').milliValue();
    await createPod(server, podWith('holder', { containers: [container({ requests: { cpu: `${allocatable - 500}m` } })], terminationGracePeriodSeconds: 1 }));
    await waitRunning(server, ['holder']);
    await createPod(server, podWith('waiter', { containers: [container({ requests: { cpu: '1' } })] }));
    await eventsInclude(server, 'waiter', ['Warning FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.']);
    assert.equal((await getPod(server, 'waiter')).spec?.nodeName, undefined);
    const freed = Date.now();
    await kubectlOk(server, ['delete', 'pod', 'holder', '--grace-period=1', '--wait=false']);
    await waitRunning(server, ['waiter']);
    // Bound when the holder went, not at the scheduler's one-minute retry.
    assert.ok(Date.now() - freed < 20_000, `bound ${Date.now() - freed} ms after the holder was deleted`);
    await eventsInclude(server, 'waiter', ['Normal Scheduled: Successfully assigned default/waiter to node1']);
    await deletePod(server, 'waiter');
  });
});

/** dd fills a 64 MiB buffer from /dev/zero: every page touched, more than a 32 MiB limit allows. */
function memoryHog(): string[] {
  return ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'];
}
