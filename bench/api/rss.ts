// Resident memory of the real server process (`bin/peapod server`, started by the end-to-end
// test helper): idle after start, then after N pods were created and LISTed as JSON and Table.
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import { startServer } from '../../test/support/server.ts';
import { createNamespaces, listCase, seedPods, tableAccept } from './cases.ts';
import type { DatastoreKind } from './datastore.ts';
import { targetFromKubeconfig } from './load.ts';

export interface RssResult {
  datastore: DatastoreKind;
  /** MiB, from /proc/PID/status. */
  idleMiB: number;
  afterListMiB: number;
  /** VmHWM: the peak resident size over the process's life. */
  peakMiB: number;
}

export async function measureServerRss(kind: DatastoreKind, options: { idleMs: number; listPods: number }): Promise<RssResult> {
  const server = await startServer({ datastore: kind });
  try {
    const pid = server.pid;
    if (pid === undefined) throw new Error('peapod server has no pid');
    await delay(options.idleMs);
    const idle = await memoryOf(pid);
    const client = new RestClient(await loadKubeconfig(server.kubeconfig));
    try {
      await createNamespaces(client, ['bench-list']);
    } finally {
      client.close();
    }
    const target = await targetFromKubeconfig(server.kubeconfig);
    await seedPods(target, 'bench-list', options.listPods);
    await listCase(target, 'bench-list', 2);
    await listCase(target, 'bench-list', 2, tableAccept);
    const after = await memoryOf(pid);
    return { datastore: kind, idleMiB: idle.rss, afterListMiB: after.rss, peakMiB: after.hwm };
  } finally {
    await server.stop();
  }
}

async function memoryOf(pid: number): Promise<{ rss: number; hwm: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) / 1024;
  };
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}
