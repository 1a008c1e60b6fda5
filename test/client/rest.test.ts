import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { RestClient } from '../../src/client/rest.ts';
import { ClientError, isAlreadyExists, isExpired, isNotFound } from '../../src/client/errors.ts';
import type { WatchEvent } from '../../src/client/watch.ts';
import { FakeApiServer, pod, podList, status } from './fakeapi.ts';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('RestClient over http', () => {
  let server: FakeApiServer;
  let client: RestClient;
  before(async () => {
    server = await FakeApiServer.start();
    client = new RestClient({ server: server.url, token: 'sekret', userAgent: 'peapod-test' });
  });
  after(async () => {
    client.close();
    await server.close();
  });

  test('get parses JSON and sends auth, user agent and accept headers', async () => {
    server.respond = () => ({ body: pod('a', '7') });
    const got = await client.get<Pod>('/api/v1/namespaces/default/pods/a');
    assert.equal(got.metadata?.resourceVersion, '7');
    const req = server.requests.at(-1)!;
    assert.equal(req.headers.authorization, 'Bearer sekret');
    assert.equal(req.headers['user-agent'], 'peapod-test');
    assert.equal(req.headers.accept, 'application/json');
  });

  test('list passes selectors, limit, continue and resourceVersion as query parameters', async () => {
    server.respond = () => ({ body: podList('9', [pod('a', '7')]) });
    const list = await client.list<Pod>('/api/v1/pods', { labelSelector: 'app=web,tier in (a,b)', fieldSelector: 'spec.nodeName=n1', limit: 500, continue: 'tok', resourceVersion: '0' });
    assert.equal(list.metadata.resourceVersion, '9');
    assert.equal(list.items.length, 1);
    const q = server.requests.at(-1)!.query;
    assert.equal(q.get('labelSelector'), 'app=web,tier in (a,b)');
    assert.equal(q.get('fieldSelector'), 'spec.nodeName=n1');
    assert.equal(q.get('limit'), '500');
    assert.equal(q.get('continue'), 'tok');
    assert.equal(q.get('resourceVersion'), '0');
    assert.equal(q.has('watch'), false);
  });

  test('create and update send JSON bodies with fieldManager', async () => {
    server.respond = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: JSON.parse(req.body) });
    const created = await client.create('/api/v1/namespaces/default/pods', pod('a', ''), { fieldManager: 'scheduler' });
    assert.deepEqual(created, pod('a', ''));
    let req = server.requests.at(-1)!;
    assert.equal(req.method, 'POST');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.query.get('fieldManager'), 'scheduler');
    await client.update('/api/v1/namespaces/default/pods/a', pod('a', '3'));
    req = server.requests.at(-1)!;
    assert.equal(req.method, 'PUT');
    assert.equal(JSON.parse(req.body).metadata.resourceVersion, '3');
  });

  test('patch picks the content type of each patch type; force only for apply', async () => {
    server.respond = () => ({ body: pod('a', '4') });
    const expected = {
      merge: 'application/merge-patch+json',
      strategic: 'application/strategic-merge-patch+json',
      json: 'application/json-patch+json',
      apply: 'application/apply-patch+yaml',
    } as const;
    for (const [type, contentType] of Object.entries(expected)) {
      await client.patch('/api/v1/namespaces/default/pods/a/status', { status: { phase: 'Running' } }, type as keyof typeof expected, { fieldManager: 'kubelet', force: true });
      const req = server.requests.at(-1)!;
      assert.equal(req.method, 'PATCH');
      assert.equal(req.headers['content-type'], contentType);
      assert.deepEqual(JSON.parse(req.body), { status: { phase: 'Running' } });
      assert.equal(req.query.get('force'), type === 'apply' ? 'true' : null);
    }
  });

  test('delete carries DeleteOptions in the body', async () => {
    server.respond = () => ({ body: { kind: 'Status', apiVersion: 'v1', status: 'Success' } });
    await client.delete('/api/v1/namespaces/default/pods/a', { gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid: 'u1' } });
    const req = server.requests.at(-1)!;
    assert.equal(req.method, 'DELETE');
    assert.deepEqual(JSON.parse(req.body), { gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid: 'u1' } });
  });

  test('a Status answer becomes a ClientError with reason, code and details', async () => {
    server.respond = () => ({ status: 404, body: status(404, 'NotFound', 'pods "nope" not found', { name: 'nope', kind: 'pods' }) });
    const err = await client.get('/api/v1/namespaces/default/pods/nope').catch((e: unknown) => e);
    assert.ok(err instanceof ClientError);
    assert.equal(err.code, 404);
    assert.equal(err.reason, 'NotFound');
    assert.equal(err.message, 'pods "nope" not found');
    assert.deepEqual(err.details, { name: 'nope', kind: 'pods' });
    assert.equal(err.request, 'GET /api/v1/namespaces/default/pods/nope');
    assert.ok(isNotFound(err));
    assert.ok(!isAlreadyExists(err));
  });

  test('a non-Status error body maps to client-go generic reasons by code', async () => {
    server.respond = () => ({ status: 500, body: 'boom', contentType: 'text/plain' });
    const internal = await client.get('/x').catch((e: unknown) => e);
    assert.ok(internal instanceof ClientError);
    assert.equal(internal.reason, 'InternalError');
    assert.equal(internal.message, 'an error on the server ("boom") has prevented the request from succeeding');
    server.respond = () => ({ status: 409, body: '<html>', contentType: 'text/html' });
    const conflict = await client.create('/api/v1/namespaces/default/pods', pod('a', '')).catch((e: unknown) => e);
    assert.ok(isAlreadyExists(conflict));
  });

  test('watch yields events split across chunks, concatenated, and cut inside UTF-8', async () => {
    server.respond = () => undefined;
    const watching = client.watch<Pod>('/api/v1/namespaces/default/pods', { resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 30 });
    const fake = await server.nextWatch();
    const stream = await watching;
    assert.equal(fake.request.query.get('watch'), 'true');
    assert.equal(fake.request.query.get('resourceVersion'), '10');
    assert.equal(fake.request.query.get('allowWatchBookmarks'), 'true');
    assert.equal(fake.request.query.get('timeoutSeconds'), '30');
    const one = JSON.stringify({ type: 'ADDED', object: { ...pod('a', '11'), note: 'brace } in "string" \\ ü' } });
    const two = JSON.stringify({ type: 'MODIFIED', object: pod('a', '12') });
    const three = JSON.stringify({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: '13' } } });
    const bytes = Buffer.from(`${one}\n${two}${three}\n`);
    const cut = Buffer.from(one).indexOf(Buffer.from('ü')) + 1; // in the middle of the two-byte ü
    fake.raw(bytes.subarray(0, cut));
    fake.raw(bytes.subarray(cut, cut + 40));
    fake.raw(bytes.subarray(cut + 40));
    fake.end();
    const events = await collect(stream);
    assert.deepEqual(events.map((e) => [e.type, (e.object as Pod).metadata?.resourceVersion]), [['ADDED', '11'], ['MODIFIED', '12'], ['BOOKMARK', '13']]);
    assert.equal((events[0]!.object as { note?: string }).note, 'brace } in "string" \\ ü');
  });

  test('watch close() ends iteration and drops the connection', async () => {
    server.respond = () => undefined;
    const watching = client.watch<Pod>('/api/v1/pods');
    const fake = await server.nextWatch();
    const stream = await watching;
    fake.send('ADDED', pod('a', '1'));
    const iterator = stream[Symbol.asyncIterator]();
    assert.equal((await iterator.next()).value?.type, 'ADDED');
    stream.close();
    assert.equal((await iterator.next()).done, true);
    await fake.closed;
  });

  test('a watch cut mid-stream throws instead of ending quietly', async () => {
    server.respond = () => undefined;
    const watching = client.watch<Pod>('/api/v1/pods');
    const fake = await server.nextWatch();
    const stream = await watching;
    fake.raw('{"type":"ADDED","object":{"kind":"Pod"');
    fake.destroy();
    await assert.rejects(collect(stream), /watch/);
  });

  test('ERROR events pass through; HTTP 410 on the watch request rejects with an expired ClientError', async () => {
    server.respond = () => undefined;
    const watching = client.watch<Pod>('/api/v1/pods', { resourceVersion: '3' });
    const fake = await server.nextWatch();
    const stream = await watching;
    fake.send('ERROR', status(410, 'Expired', 'too old resource version: 3 (9)'));
    fake.end();
    const events: WatchEvent<Pod>[] = await collect(stream);
    assert.equal(events[0]!.type, 'ERROR');
    assert.equal(events[0]!.type === 'ERROR' && events[0]!.object.code, 410);

    server.respond = (req) => (req.query.get('watch') ? { status: 410, body: status(410, 'Gone', 'too old resource version: 3 (9)') } : undefined);
    const err = await client.watch('/api/v1/pods', { resourceVersion: '3' }).catch((e: unknown) => e);
    assert.ok(err instanceof ClientError);
    assert.ok(isExpired(err));
  });
});

describe('RestClient over https', () => {
  let dir: string;
  let server: FakeApiServer;
  let pem: { cert: Buffer; key: Buffer };
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'peapod-client-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    pem = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) };
    server = await FakeApiServer.start({ ...pem, ca: pem.cert, requestCert: true, rejectUnauthorized: false });
    server.respond = (req) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      return { body: { kind: 'Pod', apiVersion: 'v1', metadata: { name: peer.subject?.CN ?? 'anonymous' } } };
    };
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('verifies the server against the CA and presents the client certificate', async () => {
    const client = new RestClient({ server: server.url, ca: pem.cert, cert: pem.cert, key: pem.key });
    try {
      const got = await client.get<Pod>('/api/v1/namespaces/default/pods/a');
      assert.equal(got.metadata?.name, '127.0.0.1');
    } finally {
      client.close();
    }
  });

  test('refuses a server its CA did not sign', async () => {
    const client = new RestClient({ server: server.url });
    try {
      await assert.rejects(client.get('/api/v1/pods'), /self-signed|self signed/);
    } finally {
      client.close();
    }
  });
});
