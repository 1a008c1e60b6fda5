// The pod worker on the fake runtime, with fakes at every other seam: images, volumes, network,
// events, probe results (set by the test) and the status manager (statuses kept in order).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { Backoff } from '../../src/client/backoff.ts';
import { HookRunner } from '../../src/agent/lifecycle/handlers.ts';
import type { WorkerContext } from '../../src/agent/podworker/context.ts';
import { WaitingError, type ImageService, type PulledImage } from '../../src/agent/podworker/deps.ts';
import { PodWorker } from '../../src/agent/podworker/podworker.ts';
import type { ProbeResult } from '../../src/agent/prober/results.ts';
import { FakeClock, FakeRuntime, type FakeBehaviour, type FakeExecHandler } from '../../src/agent/runtime/fake.ts';

export interface Harness {
  runtime: FakeRuntime;
  probes: Map<string, ProbeResult>;
  probed: PodStatus[];
  worker: PodWorker;
  clock: FakeClock;
  events: string[];
  statuses: PodStatus[];
  deleted: string[];
  torndown: string[];
  /** "ensure UID" and "destroy UID", in order. */
  cgroupCalls: string[];
  cgroupError?: Error;
  pullError?: WaitingError;
  /** CNI ADD waits for it (when set) and then fails with networkError (when set). */
  networkGate?: Promise<void>;
  networkError?: Error;
}

const busybox: PulledImage = {
  image: { name: 'docker.io/library/busybox:latest', digest: 'sha256:d', id: 'sha256:c', config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }, layers: [], size: 1 },
  config: { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: { Cmd: ['sh'] } },
  imageRef: 'docker.io/library/busybox@sha256:d',
};

export function harness(dir: string, behaviour: (name: string) => FakeBehaviour, exec?: FakeExecHandler): Harness {
  const clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
  const runtime = new FakeRuntime({ clock, behaviour: (config) => behaviour(config.metadata.name), exec });
  const partial: Omit<Harness, 'worker'> = { runtime, clock, events: [], statuses: [], deleted: [], torndown: [], cgroupCalls: [], probes: new Map(), probed: [] };
  const connected = new Set<string>();
  const images: ImageService = {
    ensureImage: async () => { if (partial.pullError) throw partial.pullError; return busybox; },
    mountRootfs: async (d) => { await mkdir(d, { recursive: true }); return d; },
    unmountRootfs: async () => undefined,
  };
  const ctx: WorkerContext = {
    runtime, images,
    volumes: { setUp: async () => undefined, mounts: async () => [], tearDown: async (uid) => { partial.torndown.push(uid); } },
    network: {
      setUp: async (r) => {
        await partial.networkGate;
        if (partial.networkError) throw partial.networkError;
        connected.add(r.sandboxId);
        return ['10.42.0.7'];
      },
      tearDown: async (r) => { connected.delete(r.sandboxId); },
      podIPs: async (id) => (connected.has(id) ? ['10.42.0.7'] : undefined),
    },
    cgroups: {
      ensureExists: async (p) => {
        partial.cgroupCalls.push(`ensure ${p.metadata?.uid}`);
        if (partial.cgroupError) throw partial.cgroupError;
        return `/kubepods/besteffort/pod${p.metadata?.uid}`;
      },
      destroy: async (uid) => { partial.cgroupCalls.push(`destroy ${uid}`); },
    },
    recorder: { event: async (_pod, type, reason, message) => { partial.events.push(`${type} ${reason} ${message}`); } },
    envSources: { getConfigMap: async () => undefined, getSecret: async () => undefined },
    backoff: new Backoff(10_000, 300_000, { now: () => clock.now().getTime() }),
    probes: { get: (kind, id) => partial.probes.get(`${kind}/${id}`) },
    probers: { update: (_pod, status) => { partial.probed.push(status); }, remove: async () => undefined },
    hooks: new HookRunner(runtime),
    // A hook that has not returned by the next turn of the event loop has used up its budget.
    waitAtMost: async (ms, until) => {
      const first = await Promise.race([until.then(() => 'done'), new Promise((r) => setImmediate(() => r('timeout')))]);
      if (first === 'timeout') clock.advance(ms);
    },
    node: () => ({ name: 'node1', hostIP: '192.0.2.10', allocatable: { cpu: '2', memory: '4Gi' }, resolvConf: 'nameserver 192.0.2.53\n' }),
    podsDir: join(dir, 'pods'), logsDir: join(dir, 'logs'), now: () => clock.now(),
  };
  const worker = new PodWorker(ctx, {
    setStatus: async (_pod, status) => { partial.statuses.push(status); return true; },
    confirmDeletion: async (pod) => { partial.deleted.push(pod.metadata?.uid ?? ''); },
    forget: () => undefined,
  });
  return {
    ...partial, worker,
    get pullError() { return partial.pullError; }, set pullError(e) { partial.pullError = e; },
    get cgroupError() { return partial.cgroupError; }, set cgroupError(e) { partial.cgroupError = e; },
    get networkGate() { return partial.networkGate; }, set networkGate(g) { partial.networkGate = g; },
    get networkError() { return partial.networkError; }, set networkError(e) { partial.networkError = e; },
  } as Harness;
}

export function pod(overrides: Partial<Pod['spec']> = {}, metadata: Pod['metadata'] = {}): Pod {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'uid-1', ...metadata },
    spec: { nodeName: 'node1', containers: [{ name: 'app', image: 'busybox', command: ['sleep', '1d'] }], ...overrides },
  };
}
