// One datastore under test: the string the server is started with, plus a second, independent
// store on the same backend for the raw lower bounds (a fresh SQLite file in another temp dir,
// or another client of the same etcd writing under a key prefix the server never reads).
//
//   sqlite: TMP/server (server data dir)      TMP/raw/state.db (raw store)
//   etcd:   startEtcd() ─▶ etcd://127.0.0.1:P  keys /registry/…  |  raw keys /bench-raw/…
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/store.ts';
import { startEtcd } from '../../test/support/etcd.ts';

export type DatastoreKind = 'sqlite' | 'etcd';

export interface BenchDatastore {
  kind: DatastoreKind;
  /** For startApiServer / --datastore. */
  datastore: string;
  /** The server's data dir (PKI, kubeconfig, SQLite file). */
  dataDir: string;
  /** Key prefix of the raw store's pods (its own namespace of keys). */
  rawPrefix: string;
  openRawStore(): Promise<Store>;
  close(): Promise<void>;
}

export async function openBenchDatastore(kind: DatastoreKind): Promise<BenchDatastore> {
  const root = await mkdtemp(join(tmpdir(), `peapod-bench-${kind}-`));
  const dataDir = join(root, 'server');
  if (kind === 'sqlite') {
    return {
      kind,
      datastore: 'sqlite',
      dataDir,
      rawPrefix: '/registry/pods/raw/',
      openRawStore: () => openStore('sqlite', join(root, 'raw')),
      close: () => rm(root, { recursive: true, force: true }),
    };
  }
  const etcd = await startEtcd().catch(async (err: unknown) => {
    await rm(root, { recursive: true, force: true });
    throw err;
  });
  const datastore = `etcd://${etcd.endpoints.map((endpoint) => new URL(endpoint).host).join(',')}`;
  return {
    kind,
    datastore,
    dataDir,
    rawPrefix: '/bench-raw/pods/raw/',
    openRawStore: () => openStore(datastore, join(root, 'raw')),
    close: async () => {
      await etcd.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}
