// The store contract as tests: every Store implementation runs this suite (sqlite.test.ts,
// etcd.test.ts). One store serves the whole suite; each test writes under its own key prefix.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StoreError, type KeyValue, type Store } from '../../src/store/store.ts';
import { describeEvent, readEvents } from './events.ts';

export interface OpenedStore {
  store: Store;
  cleanup(): Promise<void>;
}

export function storeConformance(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store conformance`, () => {
    let opened: OpenedStore;
    let store: Store;
    let prefixes = 0;
    /** A fresh key space per test: /registry/conformance-N/ */
    const space = () => `/registry/conformance-${++prefixes}/`;

    before(async () => {
      opened = await open();
      store = opened.store;
    });
    after(async () => {
      await opened?.cleanup();
    });

    test('create, get, AlreadyExists', async () => {
      const p = space();
      const kv = await store.create(`${p}a`, '{"v":1}');
      assert.equal(kv.key, `${p}a`);
      assert.equal(kv.value, '{"v":1}');
      assert.ok(kv.modRevision > 0);
      assert.equal(kv.createRevision, kv.modRevision);
      assert.deepEqual(await store.get(`${p}a`), kv);
      assert.equal(await store.get(`${p}missing`), undefined);
      const err = await rejection(store.create(`${p}a`, '{"v":2}'));
      assert.equal(err.code, 'AlreadyExists');
      assert.equal(err.key, `${p}a`);
      assert.deepEqual(err.current, kv);
    });

    test('update with the right and with a stale revision', async () => {
      const p = space();
      const created = await store.create(`${p}a`, 'v1');
      const updated = await store.update(`${p}a`, 'v2', created.modRevision);
      assert.ok(updated.modRevision > created.modRevision);
      assert.equal(updated.createRevision, created.createRevision);
      assert.equal(updated.value, 'v2');
      const stale = await rejection(store.update(`${p}a`, 'v3', created.modRevision));
      assert.equal(stale.code, 'Conflict');
      assert.deepEqual(stale.current, updated);
      assert.equal((await store.get(`${p}a`))?.value, 'v2');
      assert.equal((await rejection(store.update(`${p}missing`, 'x', 1))).code, 'NotFound');
    });

    test('delete with and without ifRevision, NotFound, re-create', async () => {
      const p = space();
      const a = await store.create(`${p}a`, 'va');
      const b = await store.create(`${p}b`, 'vb');
      const stale = await rejection(store.delete(`${p}a`, a.modRevision - 1));
      assert.equal(stale.code, 'Conflict');
      assert.deepEqual(stale.current, a);
      const deletedA = await store.delete(`${p}a`, a.modRevision);
      assert.equal(deletedA.value, 'va');
      assert.equal(deletedA.createRevision, a.createRevision);
      assert.ok(deletedA.modRevision > b.modRevision);
      const deletedB = await store.delete(`${p}b`);
      assert.equal(deletedB.value, 'vb');
      assert.equal(await store.get(`${p}a`), undefined);
      assert.equal((await rejection(store.delete(`${p}a`))).code, 'NotFound');
      assert.equal((await rejection(store.delete(`${p}b`, deletedB.modRevision))).code, 'NotFound');
      const again = await store.create(`${p}a`, 'va2');
      assert.equal(again.createRevision, again.modRevision);
      assert.ok(again.modRevision > deletedB.modRevision);
    });

    test('list by prefix respects key boundaries and sorts by key', async () => {
      const p = space();
      for (const key of ['pods/ab/x', 'pods/a/z', 'pods/a/y', 'podsx/a/y', 'pod/a/y']) await store.create(`${p}${key}`, key);
      const inA = await store.list(`${p}pods/a/`);
      assert.deepEqual(inA.items.map((kv) => kv.key), [`${p}pods/a/y`, `${p}pods/a/z`]);
      assert.equal(inA.continue, undefined);
      const pods = await store.list(`${p}pods/`);
      assert.deepEqual(pods.items.map((kv) => kv.value), ['pods/a/y', 'pods/a/z', 'pods/ab/x']);
      assert.equal(pods.revision, await store.currentRevision());
      assert.deepEqual((await store.list(`${p}none/`)).items, []);
    });

    test('list at an older revision', async () => {
      const p = space();
      const a1 = await store.create(`${p}a`, 'a1');
      const a2 = await store.update(`${p}a`, 'a2', a1.modRevision);
      const b = await store.create(`${p}b`, 'b1');
      await store.delete(`${p}a`);
      await store.update(`${p}b`, 'b2', b.modRevision);
      const atA1 = await store.list(p, { revision: a1.modRevision });
      assert.equal(atA1.revision, a1.modRevision);
      assert.deepEqual(atA1.items, [a1]);
      assert.deepEqual((await store.list(p, { revision: b.modRevision })).items, [a2, b]);
      assert.deepEqual((await store.list(p)).items.map((kv) => kv.value), ['b2']);
    });

    test('limit and continue page through one snapshot while writes go on', async () => {
      const p = space();
      const originals: KeyValue[] = [];
      for (const name of ['a', 'b', 'c', 'd', 'e']) originals.push(await store.create(`${p}${name}`, `${name}0`));
      const first = await store.list(p, { limit: 2 });
      assert.deepEqual(first.items, originals.slice(0, 2));
      assert.equal(first.remaining, 3);
      assert.ok(first.continue);
      // Writes between pages must not show up in later pages of the same list.
      await store.update(`${p}c`, 'c1', originals[2]!.modRevision);
      await store.delete(`${p}d`);
      await store.create(`${p}bb`, 'bb0');
      const second = await store.list(p, { limit: 2, continue: first.continue });
      assert.equal(second.revision, first.revision);
      assert.deepEqual(second.items, originals.slice(2, 4));
      assert.equal(second.remaining, 1);
      const third = await store.list(p, { limit: 2, continue: second.continue });
      assert.deepEqual(third.items, originals.slice(4));
      assert.equal(third.continue, undefined);
      const now = await store.list(p);
      assert.deepEqual(now.items.map((kv) => kv.value), ['a0', 'b0', 'bb0', 'c1', 'e0']);
      assert.deepEqual((await store.list(p, { limit: 5 })).continue, undefined);
    });

    test('revisions are global and strictly increasing', async () => {
      const p = space();
      const start = await store.currentRevision();
      const a = await store.create(`${p}a`, '1');
      assert.equal(a.modRevision, start + 1);
      const b = await store.create(`${p}b`, '1');
      const u = await store.update(`${p}a`, '2', a.modRevision);
      const d = await store.delete(`${p}b`);
      assert.deepEqual([b.modRevision, u.modRevision, d.modRevision], [start + 2, start + 3, start + 4]);
      assert.equal(await store.currentRevision(), start + 4);
      assert.equal((await rejection(store.create(`${p}a`, 'x'))).code, 'AlreadyExists');
      assert.equal(await store.currentRevision(), start + 4, 'a failed write takes no revision');
    });

    test('concurrent conditional updates: exactly one wins per revision', async () => {
      const p = space();
      let current = await store.create(`${p}a`, '0');
      for (let round = 1; round <= 5; round++) {
        const from = current.modRevision;
        const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => store.update(`${p}a`, `${round}.${i}`, from)));
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r) => r.status === 'rejected');
        assert.equal(won.length, 1, `round ${round}: one winner`);
        for (const r of lost) assert.equal((r.reason as StoreError).code, 'Conflict');
        current = won[0]!.value;
        assert.deepEqual(await store.get(`${p}a`), current);
      }
    });

    test('watch from a revision: puts and deletes in order, with prev', async () => {
      const p = space();
      const from = await store.currentRevision();
      const a1 = await store.create(`${p}a`, 'a1');
      await store.create(`/registry/conformance-other/${prefixes}`, 'elsewhere');
      const a2 = await store.update(`${p}a`, 'a2', a1.modRevision);
      const gone = await store.delete(`${p}a`);
      const watch = store.watch(p, from);
      try {
        const { events } = await readEvents(watch, 3);
        assert.deepEqual(events[0], { type: 'put', kv: a1 });
        assert.deepEqual(events[1], { type: 'put', kv: a2, prev: a1 });
        assert.equal(events[2]!.type, 'delete');
        assert.equal(events[2]!.kv.modRevision, gone.modRevision);
        assert.equal(events[2]!.kv.key, `${p}a`);
        assert.deepEqual(events[2]!.prev, a2);
        // Live events follow the replay.
        const b = await store.create(`${p}b`, 'b1');
        assert.deepEqual((await readEvents(watch, 1)).events, [{ type: 'put', kv: b }]);
      } finally {
        watch.close();
      }
    });

    test('watch started while writes race: every event once, in order', async () => {
      const p = space();
      const writes = 200;
      const written: number[] = [];
      let started: Promise<{ from: number; events: Promise<string[]> }> | undefined;
      const startWatch = async (from: number) => {
        const watch = store.watch(p, from);
        const events = readEvents(watch, writes - 51).then((outcome) => {
          watch.close();
          if (outcome.error) throw outcome.error;
          return outcome.events.map(describeEvent);
        });
        return { from, events };
      };
      const writer = (async () => {
        for (let i = 0; i < writes; i++) {
          const key = `${p}k${i % 7}`;
          const existing = await store.get(key);
          const kv = existing ? await store.update(key, String(i), existing.modRevision) : await store.create(key, String(i));
          written.push(kv.modRevision);
          if (i === 50) started = startWatch(kv.modRevision);
        }
      })();
      await writer;
      const { from, events } = await started!;
      const expected = written.filter((r) => r > from);
      const revisions = (await events).map((e) => Number(e.split('@')[1]));
      assert.deepEqual(revisions, expected);
    });

    test('compaction: list and watch below the compacted revision fail Compacted', async () => {
      const p = space();
      const a1 = await store.create(`${p}a`, 'a1');
      const a2 = await store.update(`${p}a`, 'a2', a1.modRevision);
      const b = await store.create(`${p}b`, 'b1');
      const first = await store.list(p, { limit: 1 });
      await store.compact(a2.modRevision);
      const listErr = await rejection(store.list(p, { revision: a1.modRevision }));
      assert.equal(listErr.code, 'Compacted');
      assert.equal(listErr.compactRevision, a2.modRevision);
      const page = await store.list(p, { limit: 1, continue: first.continue });
      assert.deepEqual(page.items, [b], 'a page at a revision above the compaction still reads');
      assert.deepEqual((await store.list(p, { revision: a2.modRevision })).items, [a2]);
      const watch = store.watch(p, a1.modRevision);
      const outcome = await readEvents(watch, 1);
      watch.close();
      assert.ok(outcome.error instanceof StoreError, `watch below compaction ended with ${String(outcome.error)}`);
      assert.equal(outcome.error.code, 'Compacted');
      assert.equal(outcome.error.compactRevision, a2.modRevision);
      // At the compacted revision itself, history above it is complete, prev values included.
      const b2 = await store.update(`${p}b`, 'b2', b.modRevision);
      const fromCompact = store.watch(p, a2.modRevision);
      const { events } = await readEvents(fromCompact, 2);
      fromCompact.close();
      assert.deepEqual(events, [{ type: 'put', kv: b }, { type: 'put', kv: b2, prev: b }]);
      await store.compact(b2.modRevision);
      const pageErr = await rejection(store.list(p, { limit: 1, continue: first.continue }));
      assert.equal(pageErr.code, 'Compacted');
    });

    test('close() ends watches', async () => {
      const second = await open();
      const watch = second.store.watch('/registry/', await second.store.currentRevision());
      const reading = readEvents(watch, 1);
      await second.cleanup();
      const outcome = await reading;
      assert.equal(outcome.ended, true);
      assert.deepEqual(outcome.events, []);
    });
  });
}

async function rejection(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof StoreError, `expected a StoreError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the call to fail');
}
