// The event recorder: calls return before anything is written; events are written in order; a
// repeat bumps count (folded into the write while one waits); a failing write is dropped without
// stopping the ones after it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventRecorder } from '../../src/client/record.ts';
import { RestClient } from '../../src/client/rest.ts';
import { FakeApiServer, status } from './fakeapi.ts';

let server: FakeApiServer;
let client: RestClient;
before(async () => {
  server = await FakeApiServer.start();
  client = new RestClient({ server: server.url, token: 't', userAgent: 'peapod-test' });
});
after(async () => {
  client.close();
  await server.close();
});

const web = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', uid: 'u1' } };

test('event() returns before the write; writes keep their order; a repeat is a count patch', async () => {
  server.requests.length = 0;
  server.respond = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: req.body === '' ? {} : JSON.parse(req.body) });
  const recorder = new EventRecorder(client, 'kubelet', { host: 'node-1' });
  recorder.event(web, 'Normal', 'Pulled', 'present');
  recorder.event(web, 'Normal', 'Created', 'Created container c');
  recorder.event(web, 'Normal', 'Pulled', 'present');
  assert.equal(server.requests.length, 0, 'nothing is written while the caller goes on');
  await recorder.flush();
  recorder.event(web, 'Normal', 'Pulled', 'present');
  await recorder.flush();
  const writes = server.requests.map((r) => {
    const body = JSON.parse(r.body) as { reason?: string; count: number };
    return [r.method, body.reason ?? 'patch', body.count];
  });
  assert.deepEqual(writes, [['POST', 'Pulled', 2], ['POST', 'Created', 1], ['PATCH', 'patch', 3]], 'the repeat waiting in the queue is folded into the first write');
});

test('a probe failing every period while the API server is slow: one write per distinct event at a time', async () => {
  server.requests.length = 0;
  server.respond = (req) => ({ status: req.method === 'POST' ? 201 : 200, body: req.body === '' ? {} : JSON.parse(req.body) });
  const recorder = new EventRecorder(client, 'kubelet');
  for (let i = 0; i < 100; i++) recorder.event(web, 'Warning', 'Unhealthy', 'Liveness probe failed: boom');
  await recorder.flush();
  assert.deepEqual(server.requests.map((r) => [r.method, (JSON.parse(r.body) as { count: number }).count]), [['POST', 100]]);
});

test('a write the API refuses is dropped; the next events are still written', async () => {
  server.requests.length = 0;
  server.respond = (req) => (JSON.parse(req.body) as { reason: string }).reason === 'Bad'
    ? { status: 403, body: status(403, 'Forbidden', 'events is forbidden') }
    : { status: 201, body: JSON.parse(req.body) };
  const recorder = new EventRecorder(client, 'kubelet');
  recorder.event(web, 'Warning', 'Bad', 'refused');
  recorder.event(web, 'Normal', 'Good', 'kept');
  await recorder.flush();
  assert.deepEqual(server.requests.map((r) => (JSON.parse(r.body) as { reason: string }).reason), ['Bad', 'Good']);
});
