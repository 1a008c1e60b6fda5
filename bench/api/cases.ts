// The HTTP cases, shared by the in-process suite and the RSS measurement of the real process.
import type { Namespace } from 'kubernetes-types/core/v1.d.ts';
import type { RestClient } from '../../src/client/rest.ts';
import { runHttpLoad, type CaseResult, type HttpTarget } from './load.ts';
import { benchPodTemplate, podsPath } from './pods.ts';

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io';

export async function createNamespaces(client: RestClient, names: string[]): Promise<void> {
  for (const name of names) {
    await client.create<Namespace>('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
}

/** GET of one pod by `concurrency` keep-alive clients for `durationMs`. */
export function getCase(target: HttpTarget, path: string, concurrency: number, durationMs: number, warmupMs: number): Promise<CaseResult> {
  return runHttpLoad({ target, method: 'GET', path, concurrency, durationMs, warmupMs }).then(checked(`GET ${path}`));
}

/** POST of pods named `prefix`0, `prefix`1, … (warm-up ones `prefix`w0, …). */
export function createCase(target: HttpTarget, namespace: string, prefix: string, options: { concurrency: number; durationMs?: number; total?: number; warmupMs?: number }): Promise<CaseResult> {
  return runHttpLoad({
    target,
    method: 'POST',
    path: podsPath(namespace),
    body: benchPodTemplate(namespace),
    namePrefix: prefix,
    ...options,
  }).then(checked(`create pods in ${namespace}`));
}

/** `runs` sequential LISTs of a namespace's pods, after one unmeasured LIST. */
export function listCase(target: HttpTarget, namespace: string, runs: number, accept?: string): Promise<CaseResult> {
  return runHttpLoad({ target, method: 'GET', path: podsPath(namespace), accept, concurrency: 1, total: runs, warmupMs: 1 }).then(
    checked(`LIST ${namespace}${accept ? ' as Table' : ''}`),
  );
}

/** Creates `count` pods in a namespace as fast as the server takes them. */
export function seedPods(target: HttpTarget, namespace: string, count: number): Promise<CaseResult> {
  return createCase(target, namespace, 'p-', { concurrency: 32, total: count });
}

/** Errors in a case void its numbers: fail loudly instead of reporting them. */
function checked(what: string): (result: CaseResult) => CaseResult {
  return (result) => {
    if (result.errors > 0) throw new Error(`${what}: ${result.errors} of ${result.errors + result.completed} requests failed; first: ${result.firstError}`);
    return result;
  };
}
