import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { Informer } from '../../src/client/informer.ts';
import type { InformerOptions } from '../../src/client/informer.ts';
import { FakeClock } from '../../src/client/clock.ts';
import { ClientError } from '../../src/client/errors.ts';
import { RestClient } from '../../src/client/rest.ts';
import { FakeApiServer, pod, podList, status } from './fakeapi.ts';
import type { Recorded } from './fakeapi.ts';

/** Handler calls as "add a@5", "update a@5->12", "delete b@6", awaitable by count. */
class Recorder {
  readonly calls: string[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];

  handler() {
    return {
      add: (p: Pod) => this.push(`add ${p.metadata?.name}@${p.metadata?.resourceVersion}`),
      update: (old: Pod, p: Pod) => this.push(`update ${p.metadata?.name}@${old.metadata?.resourceVersion}->${p.metadata?.resourceVersion}`),
      delete: (p: Pod) => this.push(`delete ${p.metadata?.name}@${p.metadata?.resourceVersion}`),
    };
  }

  /** Resolves once n calls in total have been seen. */
  until(n: number): Promise<string[]> {
    if (this.calls.length >= n) return Promise.resolve(this.calls.slice());
    return new Promise((resolve) => this.waiters.push({ n, resolve: () => resolve(this.calls.slice()) }));
  }

  private push(call: string): void {
    this.calls.push(call);
    this.waiters = this.waiters.filter((w) => (this.calls.length >= w.n ? (w.resolve(), false) : true));
  }
}

const zeroDelay = async (): Promise<void> => {};
const PODS = '/api/v1/namespaces/default/pods';

describe('Informer', () => {
  let server: FakeApiServer;
  let client: RestClient;
  let informer: Informer<Pod> | undefined;
  let lists: Recorded[];
  let listReplies: ((req: Recorded) => { status?: number; body: unknown })[];

  function startInformer(options: InformerOptions = {}): { informer: Informer<Pod>; rec: Recorder } {
    const rec = new Recorder();
    informer = new Informer<Pod>(client, { version: 'v1', resource: 'pods', namespace: 'default' }, { delay: zeroDelay, watchTimeoutSeconds: 300, ...options });
    informer.addEventHandler(rec.handler());
    informer.start();
    return { informer, rec };
  }

  beforeEach(async () => {
    server = await FakeApiServer.start();
    client = new RestClient({ server: server.url });
    lists = [];
    listReplies = [];
    server.respond = (req) => {
      if (req.query.get('watch') === 'true') return undefined;
      lists.push(req);
      const reply = listReplies.shift();
      assert.ok(reply, `unexpected list ${req.path}?${req.query}`);
      return reply(req);
    };
  });

  afterEach(async () => {
    await informer?.stop();
    informer = undefined;
    client.close();
    await server.close();
  });

  test('lists, then watches from the list resourceVersion, delivering adds, updates and deletes in order', async () => {
    listReplies.push(() => ({ body: podList('10', [pod('a', '5'), pod('b', '6')]) }));
    const { informer, rec } = startInformer({ labelSelector: 'app=web' });
    assert.equal(await informer.waitForSync(), true);
    assert.equal(lists[0]!.path, PODS);
    assert.equal(lists[0]!.query.get('resourceVersion'), '0');
    assert.equal(lists[0]!.query.get('labelSelector'), 'app=web');
    const watch = await server.nextWatch();
    assert.equal(watch.request.query.get('resourceVersion'), '10');
    assert.equal(watch.request.query.get('allowWatchBookmarks'), 'true');
    assert.equal(watch.request.query.get('labelSelector'), 'app=web');
    assert.equal(watch.request.query.get('timeoutSeconds'), '300');
    // One event cut across two writes.
    const added = JSON.stringify({ type: 'ADDED', object: pod('c', '11') }) + '\n';
    watch.raw(added.slice(0, 25));
    watch.raw(added.slice(25));
    watch.send('MODIFIED', pod('a', '12'));
    watch.send('DELETED', pod('b', '13'));
    assert.deepEqual(await rec.until(5), ['add a@5', 'add b@6', 'add c@11', 'update a@5->12', 'delete b@13']);
    assert.deepEqual(informer.list().map((p) => p.metadata?.name).sort(), ['a', 'c']);
    assert.equal(informer.get('default/a')?.metadata?.resourceVersion, '12');
    assert.equal(informer.resourceVersion, '13');
  });

  test('an ERROR 410 event relists at the last resourceVersion and reconciles the cache', async () => {
    listReplies.push(() => ({ body: podList('10', [pod('a', '5'), pod('b', '6'), pod('d', '7')]) }));
    const { rec } = startInformer();
    const watch = await server.nextWatch();
    watch.send('MODIFIED', pod('a', '11'));
    await rec.until(4);
    // During the gap: b deleted, c created, d deleted and re-created under a new uid; a unchanged.
    listReplies.push(() => ({ body: podList('20', [pod('a', '11'), pod('c', '15'), pod('d', '18', { uid: 'uid-d2' })]) }));
    watch.send('ERROR', status(410, 'Expired', 'too old resource version: 11 (14)'));
    const rewatch = await server.nextWatch();
    assert.equal(lists.length, 2);
    assert.equal(lists[1]!.query.get('resourceVersion'), '11');
    assert.equal(rewatch.request.query.get('resourceVersion'), '20');
    assert.deepEqual((await rec.until(8)).slice(4), ['delete b@6', 'delete d@7', 'add c@15', 'add d@18']);
  });

  test('HTTP 410 on the watch, then an expired list, falls back to a list of the newest state', async () => {
    listReplies.push(() => ({ body: podList('10', [pod('a', '5')]) }));
    const { informer, rec } = startInformer();
    await informer.waitForSync();
    const first = await server.nextWatch();
    first.send('MODIFIED', pod('a', '11'));
    await rec.until(2);
    const watchRefusal = status(410, 'Expired', 'too old resource version: 11 (30)');
    server.respond = ((inner) => (req: Recorded) => {
      if (req.query.get('watch') === 'true' && req.query.get('resourceVersion') === '11') return { status: 410, body: watchRefusal };
      return inner(req);
    })(server.respond);
    listReplies.push(() => ({ status: 410, body: status(410, 'Expired', 'too old resource version: 11 (30)') }));
    listReplies.push(() => ({ body: podList('31', [pod('a', '25')]) }));
    first.end();
    const rewatch = await server.nextWatch();
    assert.equal(rewatch.request.query.get('resourceVersion'), '31');
    assert.deepEqual(lists.map((l) => [l.query.get('resourceVersion'), l.query.get('limit')]), [['0', null], ['11', null], [null, '500']]);
    assert.deepEqual((await rec.until(3)).slice(2), ['update a@11->25']);
  });

  test('a stream closed by the server re-watches from the last seen resourceVersion without relisting', async () => {
    listReplies.push(() => ({ body: podList('10', []) }));
    const { rec } = startInformer();
    const first = await server.nextWatch();
    first.send('ADDED', pod('c', '11'));
    await rec.until(1);
    first.end();
    const second = await server.nextWatch();
    assert.equal(second.request.query.get('resourceVersion'), '11');
    second.destroy(); // a broken connection resumes the same way
    const third = await server.nextWatch();
    assert.equal(third.request.query.get('resourceVersion'), '11');
    assert.equal(lists.length, 1);
  });

  test('bookmarks advance the resourceVersion without handler calls', async () => {
    listReplies.push(() => ({ body: podList('10', [pod('a', '5')]) }));
    const { informer, rec } = startInformer();
    const first = await server.nextWatch();
    first.send('BOOKMARK', { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '42' } });
    first.end();
    const second = await server.nextWatch();
    assert.equal(second.request.query.get('resourceVersion'), '42');
    assert.equal(informer.resourceVersion, '42');
    assert.deepEqual(rec.calls, ['add a@5']);
  });

  test('failures are reported and retried through the injected delay', async () => {
    const attempts: number[] = [];
    const errors: Error[] = [];
    listReplies.push(() => ({ status: 500, body: status(500, 'InternalError', 'store down') }));
    listReplies.push(() => ({ status: 503, body: 'unavailable' }));
    listReplies.push(() => ({ body: podList('10', [pod('a', '5')]) }));
    const { informer } = startInformer({ delay: async (attempt) => void attempts.push(attempt), onError: (e) => void errors.push(e) });
    assert.equal(informer.hasSynced(), false);
    assert.equal(await informer.waitForSync(), true);
    assert.deepEqual(attempts, [0, 1]);
    assert.deepEqual(errors.map((e) => (e as ClientError).reason), ['InternalError', 'ServiceUnavailable']);
  });

  test('a throwing handler is reported and does not stop the other handlers or the watch', async () => {
    listReplies.push(() => ({ body: podList('10', []) }));
    const errors: Error[] = [];
    const { rec } = startInformer({ onError: (e) => void errors.push(e) });
    informer!.addEventHandler({ add: () => { throw new Error('handler bug'); } });
    const watch = await server.nextWatch();
    watch.send('ADDED', pod('a', '11'));
    watch.send('ADDED', pod('b', '12'));
    assert.deepEqual(await rec.until(2), ['add a@11', 'add b@12']);
    assert.deepEqual(errors.map((e) => e.message), ['handler bug', 'handler bug']);
  });

  test('resync re-delivers cached objects on the injected clock; late handlers get the cache as adds', async () => {
    const clock = new FakeClock();
    listReplies.push(() => ({ body: podList('10', [pod('a', '5'), pod('b', '6')]) }));
    const { informer, rec } = startInformer({ clock, resyncPeriodMs: 1000 });
    await informer.waitForSync();
    clock.step(999);
    assert.equal(rec.calls.length, 2);
    clock.step(1);
    assert.deepEqual(rec.calls.slice(2), ['update a@5->5', 'update b@6->6']);
    clock.step(1000);
    assert.equal(rec.calls.length, 6);
    const late = new Recorder();
    informer.addEventHandler(late.handler());
    assert.deepEqual(late.calls, ['add a@5', 'add b@6']);
    await informer.stop();
    assert.equal(clock.pending, 0);
  });

  test('stop() before the first sync ends the loop and waitForSync() answers false', async () => {
    listReplies.push(() => ({ status: 500, body: status(500, 'InternalError', 'store down') }));
    let informerRef: Informer<Pod> | undefined;
    const { informer } = startInformer({
      onError: () => {},
      delay: (_attempt, signal) => new Promise((resolve) => { signal.addEventListener('abort', () => resolve()); void informerRef?.stop(); }),
    });
    informerRef = informer;
    assert.equal(await informer.waitForSync(), false);
    await informer.stop();
    assert.equal(lists.length, 1);
  });
});
