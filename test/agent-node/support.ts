// An in-process API server for node tests, a loopback client, and a poll with a deadline.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Event } from 'kubernetes-types/core/v1.d.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient, type PatchOptions, type PatchType } from '../../src/client/rest.ts';

export interface TestCluster {
  server: ApiServer;
  client: RestClient;
  dir: string;
  close(): Promise<void>;
}

export async function startCluster(): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-node-'));
  const server = await startApiServer({ dataDir: dir, port: 0, bindAddress: '127.0.0.1', datastore: 'sqlite' });
  const client = new RestClient(await loadKubeconfig(server.kubeconfigPath));
  return {
    server,
    client,
    dir,
    close: async () => {
      client.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until fn returns something other than undefined, or fails after `ms`. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined>, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Reasons of the events about one object, oldest first. */
export async function eventReasons(client: RestClient, name: string): Promise<string[]> {
  const list = await client.list<Event>('/api/v1/namespaces/default/events', { fieldSelector: `involvedObject.name=${name}` });
  return list.items.sort((a, b) => String(a.firstTimestamp).localeCompare(String(b.firstTimestamp))).map((e) => e.reason ?? '');
}

/** Counts the PATCH requests a client sends, by path. */
export function countPatches(client: RestClient): string[] {
  const sent: string[] = [];
  const patch = client.patch.bind(client);
  client.patch = (<T>(path: string, body: unknown, type: PatchType, options?: PatchOptions): Promise<T> => {
    sent.push(path);
    return patch<T>(path, body, type, options);
  }) as RestClient['patch'];
  return sent;
}
