// Worker side of the watch case: opens N watches on one namespace's pods, then writes at a
// steady rate (first creates, then merge patches of the same pods) and notes, for every event
// each watcher receives, when it arrived. Writes and arrivals are paired by resourceVersion, on
// this thread's clock, after the fact — so an event that beats its write's response is counted
// (as "before the response"), not lost.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { setTimeout as delay } from 'node:timers/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { RestClient } from '../../src/client/rest.ts';
import type { WatchStream } from '../../src/client/watch.ts';
import type { WatchLoad, WatchLoadResult } from './watch.ts';
import { benchPod, podsPath } from './pods.ts';

const load = workerData as WatchLoad;
const client = new RestClient({ server: load.target.origin, ca: load.target.ca, cert: load.target.cert, key: load.target.key });
const path = podsPath(load.namespace);

interface Write {
  sent: number;
  answered: number;
}

/** resourceVersion → arrival times, one array per watcher. */
const arrivals: Map<string, number>[] = [];
const streams: WatchStream<Pod>[] = await Promise.all(
  Array.from({ length: load.watchers }, () => client.watch<Pod>(path, { resourceVersion: load.resourceVersion })),
);
const consumed = streams.map(async (stream) => {
  const seen = new Map<string, number>();
  arrivals.push(seen);
  for await (const event of stream) {
    if (event.type !== 'ADDED' && event.type !== 'MODIFIED') continue;
    seen.set(event.object.metadata?.resourceVersion ?? '', performance.now());
    if (seen.size >= load.writes) break;
  }
  stream.close();
});

const writes = new Map<string, Write>();
let writeErrors = 0;
let firstWriteError: string | undefined;
const half = Math.ceil(load.writes / 2);
const start = performance.now();
const pending: Promise<void>[] = [];
for (let i = 0; i < load.writes; i++) {
  const due = start + i * load.intervalMs;
  if (due > performance.now()) await delay(due - performance.now());
  pending.push(write(i));
}
await Promise.all(pending);
const settled = await Promise.race([Promise.all(consumed).then(() => true), delay(load.settleMs).then(() => false)]);
for (const stream of streams) stream.close();
client.close();

const result: WatchLoadResult = { afterResponse: [], afterSend: [], beforeResponse: 0, delivered: 0, expected: load.writes * load.watchers, writeLatency: [], writeErrors, firstWriteError, elapsedMs: 0, settled };
let lastArrival = start;
for (const seen of arrivals) {
  for (const [resourceVersion, at] of seen) {
    const written = writes.get(resourceVersion);
    if (!written) continue;
    result.delivered++;
    if (at < written.answered) result.beforeResponse++;
    result.afterResponse.push(Math.max(0, at - written.answered));
    result.afterSend.push(at - written.sent);
    lastArrival = Math.max(lastArrival, at);
  }
}
for (const written of writes.values()) result.writeLatency.push(written.answered - written.sent);
result.elapsedMs = lastArrival - start;
parentPort!.postMessage(result);

async function write(i: number): Promise<void> {
  const sent = performance.now();
  try {
    const name = `watch-${i % half}`;
    const pod = i < half
      ? await client.create<Pod>(path, benchPod(load.namespace, name))
      : await client.patch<Pod>(`${path}/${name}`, { metadata: { annotations: { 'bench/write': String(i) } } }, 'merge');
    writes.set(pod.metadata?.resourceVersion ?? '', { sent, answered: performance.now() });
  } catch (err) {
    writeErrors++;
    firstWriteError ??= err instanceof Error ? err.message : String(err);
  }
}
