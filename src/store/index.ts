// Opens the datastore the server was started with:
//   "sqlite"                              → DATA_DIR/state.db (embedded, the default)
//   "etcd://127.0.0.1:2379,10.0.0.2:2379" → an etcd cluster (comma-separated client endpoints)
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Store } from './store.ts';

export async function openStore(datastore: string, dataDir: string): Promise<Store> {
  if (datastore === 'sqlite') {
    const { openSqliteStore } = await import('./sqlite/store.ts');
    await mkdir(dataDir, { recursive: true });
    return openSqliteStore(join(dataDir, 'state.db'));
  }
  if (datastore.startsWith('etcd://')) {
    const endpoints = datastore
      .slice('etcd://'.length)
      .split(',')
      .map((endpoint) => endpoint.trim())
      .filter((endpoint) => endpoint !== '');
    if (endpoints.length === 0) throw new Error(`datastore ${datastore}: no etcd endpoints`);
    // Loaded on demand: the etcd client (gRPC) costs start-up time that SQLite users need not pay.
    const { openEtcdStore } = await import('./etcd/store.ts');
    return openEtcdStore(endpoints.map((endpoint) => `http://${endpoint}`));
  }
  throw new Error(`unknown datastore ${JSON.stringify(datastore)}: want "sqlite" or "etcd://host:port[,host:port…]"`);
}
