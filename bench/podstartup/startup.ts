// Pod startup as the Kubernetes pod-startup SLI measures it: from the create request to the watch
// event that shows the pod Running with Ready=True; and deletion, from the DELETE to the watch's
// DELETED event (containers exit on SIGTERM). Sequential runs show latency alone; concurrent
// runs show it under a burst.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { resourcePath } from '../../src/client/paths.ts';
import type { RestClient } from '../../src/client/rest.ts';
import type { WatchStream } from '../../src/client/watch.ts';
import { summarize, type Summary } from '../api/stats.ts';

export interface StartupResult {
  containers: number;
  mode: 'sequential' | 'concurrent';
  startup: Summary;
  deletion: Summary;
}

const namespace = 'default';
const podsPath = resourcePath({ version: 'v1', resource: 'pods', namespace });

/** A pod of `containers` busybox containers that exit at once on SIGTERM. */
export function benchPod(name: string, containers: number): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'podstartup' } },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: Array.from({ length: containers }, (_, i) => ({
        name: `c${i}`, image: 'busybox:1.36', imagePullPolicy: 'IfNotPresent' as const,
        command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
      })),
    },
  };
}

/** Watches pods and resolves per name when a condition on its events holds. */
export class PodEvents {
  private readonly waiters = new Map<string, { test: (type: string, pod: Pod) => boolean; done: (at: number) => void }>();
  private stream: WatchStream<Pod> | undefined;

  async start(client: RestClient): Promise<void> {
    const list = await client.list<Pod>(podsPath);
    const stream = await client.watch<Pod>(podsPath, { resourceVersion: list.metadata?.resourceVersion });
    this.stream = stream;
    void (async () => {
      for await (const event of stream) {
        if (event.type === 'ERROR') continue;
        const name = event.object.metadata?.name ?? '';
        const waiter = this.waiters.get(name);
        if (waiter?.test(event.type, event.object)) {
          this.waiters.delete(name);
          waiter.done(performance.now());
        }
      }
    })().catch(() => undefined);
  }

  when(name: string, test: (type: string, pod: Pod) => boolean): Promise<number> {
    return new Promise((done) => this.waiters.set(name, { test, done }));
  }

  stop(): void {
    this.stream?.close();
  }
}

export const runningAndReady = (_type: string, pod: Pod) =>
  pod.status?.phase === 'Running' && pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
export const deleted = (type: string) => type === 'DELETED';

async function startOne(client: RestClient, events: PodEvents, name: string, containers: number): Promise<number> {
  const ready = events.when(name, runningAndReady);
  const t0 = performance.now();
  await client.create(podsPath, benchPod(name, containers));
  return (await ready) - t0;
}

async function deleteOne(client: RestClient, events: PodEvents, name: string): Promise<number> {
  const gone = events.when(name, deleted);
  const t0 = performance.now();
  await client.delete(`${podsPath}/${name}`);
  return (await gone) - t0;
}

export async function measureStartup(client: RestClient, containers: number, mode: 'sequential' | 'concurrent', count: number): Promise<StartupResult> {
  const events = new PodEvents();
  await events.start(client);
  const names = Array.from({ length: count }, (_, i) => `bench-${containers}c-${mode}-${i}`);
  const startup: number[] = [];
  const deletion: number[] = [];
  try {
    if (mode === 'sequential') {
      for (const name of names) {
        startup.push(await startOne(client, events, name, containers));
        deletion.push(await deleteOne(client, events, name));
      }
    } else {
      startup.push(...await Promise.all(names.map((name) => startOne(client, events, name, containers))));
      deletion.push(...await Promise.all(names.map((name) => deleteOne(client, events, name))));
    }
  } finally {
    events.stop();
  }
  return { containers, mode, startup: summarize(startup), deletion: summarize(deletion) };
}
