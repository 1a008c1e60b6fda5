import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { toTable } from '../../src/api/table/index.ts';
import type { KubeObject } from '../../src/api/registry/object.ts';

const now = new Date('2025-03-01T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function pod(spec: Partial<NonNullable<Pod['spec']>>, status: Pod['status'], meta: Partial<NonNullable<Pod['metadata']>> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', creationTimestamp: ago(3600_000), ...meta },
    spec: { containers: [{ name: 'a', image: 'busybox' }], ...spec },
    status,
  };
}

function cells(obj: KubeObject): unknown[] {
  return toTable('Pod', [obj], { includeObject: 'None', now }).rows?.[0].cells ?? [];
}

const running = { running: { startedAt: ago(60_000) } };

describe('pod table', () => {
  test('two containers, one in CrashLoopBackOff restarted 3 times, last 5 minutes ago', () => {
    const p = pod({ containers: [{ name: 'a' }, { name: 'b' }] }, {
      phase: 'Running',
      podIPs: [{ ip: '10.1.0.7' }],
      containerStatuses: [
        { name: 'a', ready: true, restartCount: 0, image: 'x', imageID: '', state: running },
        {
          name: 'b', ready: false, restartCount: 3, image: 'x', imageID: '',
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, finishedAt: ago(5 * 60_000) } },
        },
      ],
    }, { name: 'web' });
    (p.spec as { nodeName?: string }).nodeName = 'node-1';
    assert.deepEqual(cells(p), ['web', '1/2', 'CrashLoopBackOff', '3 (5m ago)', '60m', '10.1.0.7', 'node-1', '<none>', '<none>']);
  });

  test('pending without statuses', () => {
    assert.deepEqual(cells(pod({}, { phase: 'Pending' })).slice(1, 4), ['0/1', 'Pending', '0']);
  });

  test('container creating', () => {
    const p = pod({}, { phase: 'Pending', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] });
    assert.equal(cells(p)[2], 'ContainerCreating');
  });

  test('succeeded pod is Completed and carries the Completed row condition', () => {
    const p = pod({}, { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] });
    const table = toTable('Pod', [p], { includeObject: 'None', now });
    assert.equal(table.rows?.[0].cells[2], 'Completed');
    assert.deepEqual(table.rows?.[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });

  test('terminated without a reason shows the exit code or signal', () => {
    const status = (t: { exitCode: number; signal?: number }) => pod({}, { phase: 'Failed', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: t } }] });
    assert.equal(cells(status({ exitCode: 2 }))[2], 'ExitCode:2');
    assert.equal(cells(status({ exitCode: 137, signal: 9 }))[2], 'Signal:9');
  });

  test('deletionTimestamp makes it Terminating, unless the phase is terminal', () => {
    assert.equal(cells(pod({}, { phase: 'Running' }, { deletionTimestamp: ago(1000) }))[2], 'Terminating');
    assert.equal(cells(pod({}, { phase: 'Succeeded' }, { deletionTimestamp: ago(1000) }))[2], 'Succeeded');
    assert.equal(cells(pod({}, { phase: 'Running', reason: 'NodeLost' }, { deletionTimestamp: ago(1000) }))[2], 'Unknown');
  });

  test('status.reason replaces the phase', () => {
    assert.equal(cells(pod({}, { phase: 'Failed', reason: 'Evicted' }))[2], 'Evicted');
  });

  test('scheduling gated', () => {
    assert.equal(cells(pod({}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }))[2], 'SchedulingGated');
  });

  describe('init containers', () => {
    const spec = { initContainers: [{ name: 'i1' }, { name: 'i2' }] };
    const done = { name: 'i1', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } };
    test('second of two running → Init:1/2', () => {
      const p = pod(spec, { phase: 'Pending', initContainerStatuses: [done, { name: 'i2', ready: false, restartCount: 0, image: '', imageID: '', state: running }] });
      assert.equal(cells(p)[2], 'Init:1/2');
    });
    test('failed init container → Init:Error, restarts counted from init containers', () => {
      const p = pod(spec, {
        phase: 'Pending',
        initContainerStatuses: [done, { name: 'i2', ready: false, restartCount: 2, image: '', imageID: '', state: { terminated: { exitCode: 1, reason: 'Error' } }, lastState: { terminated: { exitCode: 1, finishedAt: ago(30_000) } } }],
      });
      assert.deepEqual(cells(p).slice(1, 4), ['0/1', 'Init:Error', '2 (30s ago)']);
    });
    test('waiting init container → Init:<reason>, PodInitializing ignored', () => {
      const waiting = (reason: string) => pod(spec, { phase: 'Pending', initContainerStatuses: [{ ...done, name: 'i1', state: { waiting: { reason } } }] });
      assert.equal(cells(waiting('CrashLoopBackOff'))[2], 'Init:CrashLoopBackOff');
      assert.equal(cells(waiting('PodInitializing'))[2], 'Init:0/2');
    });
    test('init without reason → Init:ExitCode:N', () => {
      const p = pod(spec, { phase: 'Pending', initContainerStatuses: [{ ...done, state: { terminated: { exitCode: 3 } } }] });
      assert.equal(cells(p)[2], 'Init:ExitCode:3');
    });
    test('a started sidecar counts as a container and as ready', () => {
      const p = pod({ initContainers: [{ name: 'side', restartPolicy: 'Always' }] }, {
        phase: 'Running',
        conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }],
        initContainerStatuses: [{ name: 'side', ready: true, started: true, restartCount: 1, image: '', imageID: '', state: running }],
        containerStatuses: [{ name: 'a', ready: true, restartCount: 0, image: '', imageID: '', state: running }],
      });
      assert.deepEqual(cells(p).slice(1, 4), ['2/2', 'Running', '1']);
    });
  });

  test('completed container while another runs → Running or NotReady by the Ready condition', () => {
    const statuses = [
      { name: 'a', ready: false, restartCount: 0, image: '', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
      { name: 'b', ready: true, restartCount: 0, image: '', imageID: '', state: running },
    ];
    const spec = { containers: [{ name: 'a' }, { name: 'b' }] };
    // Containers are visited last to first, so the first container's reason is the final one.
    assert.equal(cells(pod(spec, { phase: 'Running', containerStatuses: statuses }))[2], 'NotReady');
    assert.equal(cells(pod(spec, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: statuses }))[2], 'Running');
  });

  test('readiness gates', () => {
    const p = pod({ readinessGates: [{ conditionType: 'x/a' }, { conditionType: 'x/b' }] }, { phase: 'Running', conditions: [{ type: 'x/a', status: 'True' }] });
    assert.equal(cells(p)[8], '1/2');
  });
});
