// The etcd store against a real single-member etcd: the shared conformance suite, plus paging of
// a list bigger than one gRPC message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openEtcdStore } from '../../src/store/etcd/store.ts';
import { startEtcd, type TestEtcd } from '../support/etcd.ts';
import { storeConformance } from './conformance.ts';

let etcd: TestEtcd;
before(async () => {
  etcd = await startEtcd();
});
after(async () => {
  await etcd?.stop();
});

storeConformance('etcd', async () => {
  const store = openEtcdStore(etcd.endpoints);
  return { store, cleanup: () => store.close() };
});

test('etcd: a list larger than one gRPC message (4 MiB) comes back whole', async () => {
  const store = openEtcdStore(etcd.endpoints);
  try {
    const value = JSON.stringify({ data: 'x'.repeat(100_000) });
    const writes = [];
    for (let i = 0; i < 60; i++) writes.push(store.create(`/registry/secrets/big/s-${String(i).padStart(3, '0')}`, value));
    await Promise.all(writes);
    const all = await store.list('/registry/secrets/big/');
    assert.equal(all.items.length, 60);
    assert.equal(all.items[59]!.key, '/registry/secrets/big/s-059');
  } finally {
    await store.close();
  }
});
