// The agent's HTTPS server with a fake lookup over crafted files: client-certificate
// authentication (cluster CA and system:masters), the kubelet's error answers as Status JSON,
// the query options reaching the reader; and containerLogFile() choosing the attempt's file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { ensurePki, type KeyPair, type Pki } from '../../src/api/auth/pki.ts';
import { generateKey, issueCertificate } from '../../src/api/auth/openssl.ts';
import { startAgentServer, type AgentServer } from '../../src/agent/server/server.ts';
import { containerLogsRoute } from '../../src/agent/server/container_logs.ts';
import { containerLogErrors } from '../../src/agent/server/errors.ts';
import { containerLogFile, type ContainerLogLookup } from '../../src/agent/server/lookup.ts';
import { ensureServingCertificate } from '../../src/agent/server/serving_cert.ts';
import { ContainerLogError } from '../../src/agent/server/errors.ts';

interface Answer {
  status: number;
  type: string;
  body: string;
}

describe('agent server: containerLogs', () => {
  let dir: string;
  let pki: Pki;
  let foreign: Pki;
  let jane: KeyPair;
  let serving: KeyPair;
  let server: AgentServer;
  let logPath: string;

  const lookup: ContainerLogLookup = async ({ namespace, podName, containerName, previous }) => {
    if (podName !== 'p') return containerLogErrors.podNotFound(podName);
    if (containerName === 'waiting') return containerLogErrors.waiting(podName, containerName, 'ContainerCreating');
    if (containerName !== 'c') return containerLogErrors.containerNotFound(podName, containerName);
    if (previous) return containerLogErrors.previousNotFound(podName, containerName);
    assert.equal(namespace, 'default');
    return { path: logPath };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-agent-server-'));
    pki = await ensurePki(join(dir, 'cluster'), { hosts: [] });
    foreign = await ensurePki(join(dir, 'other'), { hosts: [] });
    jane = await clientCert(join(dir, 'cluster', 'pki'), 'jane', ['developers']);
    serving = await ensureServingCertificate(join(dir, 'agent'), ['127.0.0.1']);
    logPath = join(dir, 'c.log');
    await writeFile(logPath, '2026-11-23T14:00:00.5Z stdout F one\n2026-11-23T14:00:01Z stderr F two\n');
    server = await startAgentServer({ address: '127.0.0.1', port: 0, serving, clientCA: pki.ca.cert, routes: [containerLogsRoute(lookup)] });
  });

  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  function get(path: string, identity: KeyPair | null = pki.kubeletClient): Promise<Answer> {
    return new Promise((resolve, reject) => {
      // The serving certificate is self-signed for the node address: it verifies against itself.
      const req = request({ host: '127.0.0.1', port: server.port, path, ca: serving.cert, cert: identity?.cert, key: identity?.key }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  const status = (answer: Answer) => JSON.parse(answer.body) as { kind: string; code: number; reason: string; message: string };

  test('the API server client certificate reads the logs', async () => {
    const answer = await get('/containerLogs/default/p/c');
    assert.equal(answer.status, 200);
    assert.match(answer.type, /^text\/plain/);
    assert.equal(answer.body, 'one\ntwo\n');
  });

  test('query options reach the reader', async () => {
    assert.equal((await get('/containerLogs/default/p/c?tailLines=1&timestamps=true', pki.admin)).body, '2026-11-23T14:00:01.000000000Z two\n');
    assert.equal((await get('/containerLogs/default/p/c?limitBytes=2')).body, 'on');
    assert.equal((await get('/containerLogs/default/p/c?tail=1')).body, 'two\n');
    assert.equal((await get('/containerLogs/default/p/c?sinceTime=2026-11-23T14:00:01Z')).body, 'two\n');
  });

  test('no client certificate, or one from another CA: 401', async () => {
    for (const identity of [null, foreign.admin]) {
      const answer = await get('/containerLogs/default/p/c', identity);
      assert.equal(answer.status, 401, identity ? "foreign" : "none");
      assert.equal(status(answer).reason, 'Unauthorized');
    }
  });

  test('a cluster certificate without the right: 403 with the kubelet message', async () => {
    const answer = await get('/containerLogs/default/p/c', jane);
    assert.equal(answer.status, 403);
    assert.equal(status(answer).message, 'Forbidden (user=jane, verb=get, resource=nodes, subresource=proxy)');
  });

  test('lookup errors become Status answers with the kubelet messages', async () => {
    const cases: [string, number, string][] = [
      ['/containerLogs/default/p/waiting', 400, 'container "waiting" in pod "p" is waiting to start: ContainerCreating'],
      ['/containerLogs/default/p/c?previous=true', 400, 'previous terminated container "c" in pod "p" not found'],
      ['/containerLogs/default/p/x', 404, 'container "x" not found in pod "p"'],
      ['/containerLogs/default/q/c', 404, 'pod "q" does not exist'],
      ['/containerLogs/default/p/c?tailLines=x', 400, 'Unable to decode query.'],
      ['/containerLogs/default/p/c?tailLines=-1', 422, 'Invalid request.'],
      ['/containerLogs/default/p', 404, 'the server could not find the requested resource'],
    ];
    for (const [path, code, message] of cases) {
      const answer = await get(path);
      assert.equal(answer.status, code, path);
      assert.equal(status(answer).kind, 'Status');
      assert.equal(status(answer).message, message, path);
    }
  });

  test('the serving certificate is reused while it still covers the node', async () => {
    assert.deepEqual(await ensureServingCertificate(join(dir, 'agent'), ['127.0.0.1']), serving);
    assert.notEqual((await ensureServingCertificate(join(dir, 'agent'), ['10.1.2.3'])).cert, serving.cert);
  });
});

describe('containerLogFile: which attempt a request reads', () => {
  let root: string;
  const pod = (status: Pod['status']): Pod => ({
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: { containers: [{ name: 'c' }] },
    status,
  });
  const ask = (p: Pod, previous = false, containerName = 'c') =>
    containerLogFile(root, p, { namespace: 'ns', podName: 'p', containerName, previous });
  const message = async (answer: Promise<unknown>) => {
    const result = await answer;
    assert.ok(result instanceof ContainerLogError);
    return result.message;
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'peapod-logroot-'));
    await mkdir(join(root, 'ns_p_u1', 'c'), { recursive: true });
    for (const n of [0, 1, 2]) await writeFile(join(root, 'ns_p_u1', 'c', `${n}.log`), '');
  });
  after(() => rm(root, { recursive: true, force: true }));

  const running = { name: 'c', ready: true, restartCount: 2, image: 'i', imageID: '', state: { running: {} }, lastState: { terminated: { exitCode: 1 } } };

  test('running: the newest file; previous: the one before', async () => {
    assert.deepEqual(await ask(pod({ containerStatuses: [running] })), { path: join(root, 'ns_p_u1', 'c', '2.log') });
    assert.deepEqual(await ask(pod({ containerStatuses: [running] }), true), { path: join(root, 'ns_p_u1', 'c', '1.log') });
  });

  test('waiting to restart: both read the attempt that ran last', async () => {
    const backoff = { ...running, state: { waiting: { reason: 'CrashLoopBackOff' } } };
    assert.deepEqual(await ask(pod({ containerStatuses: [backoff] }), true), { path: join(root, 'ns_p_u1', 'c', '2.log') });
    assert.deepEqual(await ask(pod({ containerStatuses: [backoff] })), { path: join(root, 'ns_p_u1', 'c', '2.log') });
  });

  test('an attempt caught between a rotation\'s rename and the reopen (only N.log.<stamp> there) is still found', async () => {
    const dir = join(root, 'ns_p_u1', 'c');
    await writeFile(join(dir, '3.log.20261123-140000.gz'), '');
    await writeFile(join(dir, '3.log.20261123-140010'), '');
    const third = { ...running, restartCount: 3 };
    assert.deepEqual(await ask(pod({ containerStatuses: [third] })), { path: join(dir, '3.log') });
    assert.deepEqual(await ask(pod({ containerStatuses: [third] }), true), { path: join(dir, '2.log') });
    await rm(join(dir, '3.log.20261123-140000.gz'));
    await rm(join(dir, '3.log.20261123-140010'));
  });

  test('the kubelet messages when there is nothing to read', async () => {
    const fresh = { ...running, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
    assert.equal(await message(ask(pod({ containerStatuses: [fresh] }))), 'container "c" in pod "p" is waiting to start: ContainerCreating');
    assert.equal(await message(ask(pod({ containerStatuses: [{ ...fresh, state: { waiting: { reason: 'ImagePullBackOff' } } }] }))),
      'container "c" in pod "p" is waiting to start: trying and failing to pull image');
    assert.equal(await message(ask(pod({ containerStatuses: [fresh] }), true)), 'previous terminated container "c" in pod "p" not found');
    assert.equal(await message(ask(pod({}))), 'container "c" in pod "p" is not available');
    assert.equal(await message(ask(pod({}), false, 'x')), 'container "x" not found in pod "p"');
  });
});

/** A client certificate signed by the cluster CA in `pkiDir`. */
async function clientCert(pkiDir: string, commonName: string, organizations: string[]): Promise<KeyPair> {
  const keyPath = join(pkiDir, `${commonName}.key`);
  const key = await generateKey();
  await writeFile(keyPath, key, { mode: 0o600 });
  const cert = await issueCertificate({
    subject: { commonName, organizations },
    keyPath,
    issuer: { certPath: join(pkiDir, 'ca.crt'), keyPath: join(pkiDir, 'ca.key') },
    days: 1,
    extensions: ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'],
  });
  return { cert, key };
}
