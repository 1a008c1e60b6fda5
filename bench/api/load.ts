// Drives HTTP load from a worker thread, so that the client's TLS and parsing work runs on the
// second core instead of competing with the server on the main thread's event loop.
//
//   main thread: server under test ◀──HTTPS keep-alive── worker (httpworker.ts): closedLoop × N
import { Worker } from 'node:worker_threads';
import { loadKubeconfig } from '../../src/client/config.ts';
import type { LoopOptions, LoopResult } from './loop.ts';
import { summarize, type Summary } from './stats.ts';

/** Where to send requests and with which identity (PEM text, as in the kubeconfig). */
export interface HttpTarget {
  origin: string;
  ca: string;
  cert: string;
  key: string;
}

export interface HttpLoad extends LoopOptions {
  target: HttpTarget;
  method: 'GET' | 'POST' | 'PATCH';
  path: string;
  accept?: string;
  contentType?: string;
  /** Request body; every `__NAME__` in it becomes `namePrefix + i` for the i-th request. */
  body?: string;
  namePrefix?: string;
  /** Unmeasured requests first (TLS handshakes, JIT), with names of their own. */
  warmupMs?: number;
}

export interface CaseResult {
  completed: number;
  errors: number;
  firstError?: string;
  elapsedMs: number;
  /** Completed operations per second. */
  throughput: number;
  latency: Summary;
}

export async function targetFromKubeconfig(path: string): Promise<HttpTarget> {
  const config = await loadKubeconfig(path);
  if (!config.ca || !config.cert || !config.key) throw new Error(`kubeconfig ${path}: want a CA and a client certificate with key`);
  return { origin: config.server, ca: config.ca.toString(), cert: config.cert.toString(), key: config.key.toString() };
}

export function runHttpLoad(load: HttpLoad): Promise<CaseResult> {
  return inWorker<LoopResult>('./httpworker.ts', load).then(caseResult);
}

export function caseResult(loop: LoopResult): CaseResult {
  return {
    completed: loop.latencies.length,
    errors: loop.errors,
    firstError: loop.firstError,
    elapsedMs: loop.elapsedMs,
    throughput: loop.latencies.length / (loop.elapsedMs / 1000),
    latency: summarize(loop.latencies),
  };
}

/** Runs a worker script of this folder with `data` and resolves with the one message it posts. */
export function inWorker<T>(script: string, data: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(script, import.meta.url), { workerData: data });
    let answered = false;
    worker.once('message', (message: T) => {
      answered = true;
      resolve(message);
    });
    worker.once('error', (err) => reject(new Error(`${script}: ${err.message}`, { cause: err })));
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`${script} exited with code ${code} without a result`));
    });
  });
}
