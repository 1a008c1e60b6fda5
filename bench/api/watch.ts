// The watch delivery case, run in a worker (watchworker.ts) beside the server under test.
import { inWorker, type HttpTarget } from './load.ts';
import { summarize, type Summary } from './stats.ts';

export interface WatchLoad {
  target: HttpTarget;
  namespace: string;
  /** Where the watches start: the list resourceVersion read just before. */
  resourceVersion: string;
  watchers: number;
  writes: number;
  intervalMs: number;
  /** How long to wait after the last write for stragglers. */
  settleMs: number;
}

/** Raw samples, milliseconds. */
export interface WatchLoadResult {
  afterResponse: number[];
  afterSend: number[];
  /** Deliveries that arrived before the write's own response (counted as 0 in afterResponse). */
  beforeResponse: number;
  delivered: number;
  expected: number;
  writeLatency: number[];
  writeErrors: number;
  firstWriteError?: string;
  /** First write sent → last event delivered. */
  elapsedMs: number;
  /** Every watcher saw every write before settleMs ran out. */
  settled: boolean;
}

export interface WatchCaseResult {
  watchers: number;
  writes: number;
  delivered: number;
  expected: number;
  beforeResponse: number;
  /** Events delivered per second, over all watchers. */
  throughput: number;
  /** Write response → arrival at a watcher, over all (watcher, event) pairs. */
  latency: Summary;
  /** Write request sent → arrival. */
  latencyFromSend: Summary;
  writeLatency: Summary;
  writeErrors: number;
  firstWriteError?: string;
}

export async function runWatchLoad(load: WatchLoad): Promise<WatchCaseResult> {
  const raw = await inWorker<WatchLoadResult>('./watchworker.ts', load);
  if (!raw.settled) console.warn(`watch: ${raw.expected - raw.delivered} of ${raw.expected} deliveries missing after ${load.settleMs} ms`);
  return {
    watchers: load.watchers,
    writes: load.writes,
    delivered: raw.delivered,
    expected: raw.expected,
    beforeResponse: raw.beforeResponse,
    throughput: raw.delivered / (raw.elapsedMs / 1000),
    latency: summarize(raw.afterResponse),
    latencyFromSend: summarize(raw.afterSend),
    writeLatency: summarize(raw.writeLatency),
    writeErrors: raw.writeErrors,
    firstWriteError: raw.firstWriteError,
  };
}
