// Registration, as the kubelet's registerWithAPIServer / tryRegisterWithAPIServer: create the
// Node; if it already exists (the agent restarted, or the node came back under the same name)
// take the stored one and make its labels true again. Status is then the status loop's job.
// Failures retry with the kubelet's backoff, 100 ms doubling to 7 s, until stopped.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { isAlreadyExists } from '../../client/errors.ts';
import { resourcePath } from '../../client/paths.ts';
import type { RestClient } from '../../client/rest.ts';
import { labelsToUpdate } from './labels.ts';

/** Waits before retry number `attempt`; settles promptly when signal aborts. */
export type RegisterDelay = (attempt: number, signal: AbortSignal) => Promise<void>;

export const registerBackoff: RegisterDelay = async (attempt, signal) => {
  await sleep(Math.min(100 * 2 ** attempt, 7_000), undefined, { signal }).catch(() => undefined);
};

export function nodePath(name: string, subresource?: string): string {
  return resourcePath({ version: 'v1', resource: 'nodes', name, subresource });
}

/** The registered Node; rejects only when signal aborts first. */
export async function registerWithAPIServer(client: RestClient, initial: Node, signal: AbortSignal, delay: RegisterDelay = registerBackoff): Promise<Node> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await tryRegisterWithAPIServer(client, initial);
    } catch (err) {
      if (signal.aborted) throw new Error(`node ${initial.metadata?.name}: registration stopped`, { cause: err });
      console.error(`node ${initial.metadata?.name}: unable to register with the API server: ${(err as Error).message}`);
    }
    await delay(attempt, signal);
  }
}

export async function tryRegisterWithAPIServer(client: RestClient, initial: Node): Promise<Node> {
  const name = initial.metadata?.name ?? '';
  try {
    return await client.create<Node>(resourcePath({ version: 'v1', resource: 'nodes' }), initial);
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await client.get<Node>(nodePath(name));
  const labels = labelsToUpdate(existing.metadata?.labels, initial.metadata?.labels ?? {});
  if (Object.keys(labels).length === 0) return existing;
  return client.patch<Node>(nodePath(name), { metadata: { labels } }, 'strategic');
}
