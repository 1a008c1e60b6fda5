// The API server in-process over HTTPS, driven by the project's REST client: list paging,
// watch semantics (replay from a resourceVersion, selector transitions, bookmarks, 410 after
// compaction), deletecollection, conflicts and finalizers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap } from 'kubernetes-types/core/v1.d.ts';
import { startApiServer, type ApiServer } from '../../src/api/server.ts';
import { loadKubeconfig } from '../../src/client/config.ts';
import { RestClient } from '../../src/client/rest.ts';
import { ClientError } from '../../src/client/errors.ts';
import type { WatchEvent, WatchStream } from '../../src/client/watch.ts';

const cms = '/api/v1/namespaces/default/configmaps';

describe('API server semantics', () => {
  let dir: string;
  let server: ApiServer;
  let client: RestClient;

  async function start(port = 0): Promise<void> {
    server = await startApiServer({ dataDir: dir, port, bindAddress: '127.0.0.1', datastore: 'sqlite', bookmarkIntervalMs: 50 });
    client = new RestClient(await loadKubeconfig(server.kubeconfigPath));
  }

  /** A new server on the same data: its watch cache starts empty. */
  async function restart(): Promise<void> {
    client.close();
    await server.close();
    await start();
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-api-'));
    await start();
  });

  after(async () => {
    client.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  const cm = (name: string, labels: Record<string, string> = {}): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { k: name } });

  async function take(stream: WatchStream<ConfigMap>, n: number, skipBookmarks = true): Promise<WatchEvent<ConfigMap>[]> {
    const events: WatchEvent<ConfigMap>[] = [];
    for await (const e of stream) {
      if (skipBookmarks && e.type === 'BOOKMARK') continue;
      events.push(e);
      if (events.length === n) break;
    }
    return events;
  }

  test('limit/continue pages through one snapshot', async () => {
    for (let i = 0; i < 5; i++) await client.create(cms, cm(`page-${i}`, { set: 'paging' }));
    const first = await client.list<ConfigMap>(cms, { labelSelector: 'set=paging', limit: 2 });
    assert.deepEqual(first.items.map((c) => c.metadata?.name), ['page-0', 'page-1']);
    assert.ok(first.metadata.continue);
    await client.create(cms, cm('page-5', { set: 'paging' }));
    const rest = await client.list<ConfigMap>(cms, { labelSelector: 'set=paging', continue: first.metadata.continue });
    assert.deepEqual(rest.items.map((c) => c.metadata?.name), ['page-2', 'page-3', 'page-4']);
    assert.equal(rest.metadata.resourceVersion, first.metadata.resourceVersion);
  });

  test('a watch from a resourceVersion replays later changes in order', async () => {
    const created = await client.create(cms, cm('w-1'));
    const rv = created.metadata?.resourceVersion ?? '';
    await client.patch(`${cms}/w-1`, { data: { k: 'two' } }, 'merge');
    await client.delete(`${cms}/w-1`);
    const stream = await client.watch<ConfigMap>(cms, { resourceVersion: rv, fieldSelector: 'metadata.name=w-1' });
    const events = await take(stream, 2);
    stream.close();
    assert.deepEqual(events.map((e) => e.type), ['MODIFIED', 'DELETED']);
    const rvs = events.map((e) => Number((e.object as ConfigMap).metadata?.resourceVersion));
    assert.ok(rvs[0] > Number(rv) && rvs[1] > rvs[0]);
  });

  test('leaving and entering a label selector are DELETED and ADDED', async () => {
    const list = await client.list<ConfigMap>(cms, { labelSelector: 'tier=front' });
    const stream = await client.watch<ConfigMap>(cms, { resourceVersion: list.metadata.resourceVersion, labelSelector: 'tier=front' });
    await client.create(cms, cm('sel-1', { tier: 'front' }));
    await client.patch(`${cms}/sel-1`, { metadata: { labels: { tier: 'back' } } }, 'merge');
    await client.patch(`${cms}/sel-1`, { metadata: { labels: { tier: 'front' } } }, 'merge');
    const events = await take(stream, 3);
    stream.close();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED', 'ADDED']);
  });

  test('watches that allow bookmarks get them with the current resourceVersion', async () => {
    const list = await client.list<ConfigMap>(cms);
    const stream = await client.watch<ConfigMap>(cms, { resourceVersion: list.metadata.resourceVersion, allowWatchBookmarks: true });
    const [bookmark] = await take(stream, 1, false);
    stream.close();
    assert.equal(bookmark.type, 'BOOKMARK');
    assert.ok(Number((bookmark.object as ConfigMap).metadata?.resourceVersion) >= Number(list.metadata.resourceVersion));
  });

  test('after a restart a watch resumes from the store log, and ends with 410 once compacted', async () => {
    const old = await client.create(cms, cm('gone-1'));
    await client.patch(`${cms}/gone-1`, { data: { k: 'x' } }, 'merge');
    await restart();
    const resumed = await client.watch<ConfigMap>(cms, { resourceVersion: old.metadata?.resourceVersion, fieldSelector: 'metadata.name=gone-1' });
    const [modified] = await take(resumed, 1);
    resumed.close();
    assert.equal(modified.type, 'MODIFIED');
    await server.store.compact(await server.store.currentRevision());
    await restart();
    let status: { code?: number; reason?: string } | undefined;
    try {
      const stream = await client.watch<ConfigMap>(cms, { resourceVersion: old.metadata?.resourceVersion });
      const [event] = await take(stream, 1);
      stream.close();
      assert.equal(event.type, 'ERROR');
      status = event.object as { code?: number; reason?: string };
    } catch (err) {
      assert.ok(err instanceof ClientError, String(err));
      status = { code: err.code, reason: err.reason };
    }
    assert.deepEqual({ code: status?.code, reason: status?.reason }, { code: 410, reason: 'Expired' });
  });

  test('a stale resourceVersion on update is a 409 Conflict', async () => {
    const created = await client.create(cms, cm('stale-1'));
    await client.patch(`${cms}/stale-1`, { data: { k: 'newer' } }, 'merge');
    await assert.rejects(client.update(`${cms}/stale-1`, { ...created, data: { k: 'older' } }), (err: ClientError) =>
      err.code === 409 && err.reason === 'Conflict' &&
      err.message.includes('Operation cannot be fulfilled on configmaps "stale-1": the object has been modified'));
  });

  test('finalizers hold a deleted object until they are removed', async () => {
    await client.create(cms, { ...cm('fin-1'), metadata: { name: 'fin-1', finalizers: ['example.com/hold'] } });
    await client.delete(`${cms}/fin-1`);
    const held = await client.get<ConfigMap>(`${cms}/fin-1`);
    assert.ok(held.metadata?.deletionTimestamp);
    await client.patch(`${cms}/fin-1`, { metadata: { finalizers: null } }, 'merge');
    await assert.rejects(client.get(`${cms}/fin-1`), (err: ClientError) => err.code === 404);
  });

  test('deletecollection removes what the selector matches and nothing else', async () => {
    await client.create(cms, cm('dc-1', { batch: 'a' }));
    await client.create(cms, cm('dc-2', { batch: 'a' }));
    await client.create(cms, cm('dc-3', { batch: 'b' }));
    await client.delete(`${cms}?labelSelector=batch%3Da`);
    const left = await client.list<ConfigMap>(cms, { labelSelector: 'batch' });
    assert.deepEqual(left.items.map((c) => c.metadata?.name), ['dc-3']);
  });
});
