// The compactor compacts, each interval, to the revision seen one interval earlier.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCompactor } from '../../src/store/compactor.ts';
import { openSqliteStore } from '../../src/store/sqlite/store.ts';
import { StoreError } from '../../src/store/store.ts';
import { eventually } from '../support/wait.ts';

test('compactor: history older than one interval is compacted, newer history stays', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-compactor-'));
  const store = openSqliteStore(join(dir, 'state.db'));
  t.after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  let kv = await store.create('/registry/configmaps/default/a', '0');
  for (let i = 1; i <= 5; i++) kv = await store.update(kv.key, String(i), kv.modRevision);
  const written = kv.modRevision;
  const errors: unknown[] = [];
  const compactor = startCompactor(store, { intervalMs: 20, onError: (err) => errors.push(err) });
  t.after(() => compactor.stop());

  const compactRevision = await eventually('a compaction', async () => {
    try {
      await store.list('/registry/', { revision: 1 });
      return undefined;
    } catch (err) {
      if (err instanceof StoreError && err.code === 'Compacted') return err.compactRevision;
      throw err;
    }
  });
  assert.equal(compactRevision, written, 'compacted to the revision observed one tick earlier');
  assert.deepEqual((await store.list('/registry/', { revision: written })).items, [kv]);
  assert.deepEqual(errors, []);
});
