// openStore: the --datastore flag's forms.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.ts';
import { startEtcd } from '../support/etcd.ts';

test('openStore("sqlite") keeps DATA_DIR/state.db', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-open-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const store = await openStore('sqlite', join(dir, 'data'));
  const kv = await store.create('/registry/namespaces/default', '{}');
  await store.close();
  await access(join(dir, 'data', 'state.db'));
  const reopened = await openStore('sqlite', join(dir, 'data'));
  t.after(() => reopened.close());
  assert.deepEqual(await reopened.get(kv.key), kv);
});

test('openStore("etcd://a,b") connects to the listed endpoints', async (t) => {
  const etcd = await startEtcd();
  t.after(() => etcd.stop());
  const hostPort = etcd.endpoints[0]!.replace('http://', '');
  // The second endpoint is down; the client balances over the ones that answer.
  const store = await openStore(`etcd://${hostPort},127.0.0.1:1`, '/nonexistent');
  t.after(() => store.close());
  const kv = await store.create('/registry/namespaces/default', '{}');
  assert.deepEqual(await store.get(kv.key), kv);
});

test('openStore rejects an unknown datastore', async () => {
  await assert.rejects(openStore('postgres://x', '/tmp'), /unknown datastore "postgres:\/\/x"/);
});
