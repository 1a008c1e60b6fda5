// Pulls through a registry mirror that wants basic auth, configured by a k3s registries.yaml:
// the right credentials pull `image: busybox`, wrong ones fail with the registry's 401, and
// `peapod images ls` on the server's data dir lists what the node pulled.
//
//   registries.yaml ── docker.io, "*" ──▶ http://OPEN (user:pw)        busybox, busybox:mirrored
//                   └─ locked.example ──▶ http://LOCKED (user:wrong)   401
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { push, startRegistry, type TestRegistry } from '../images/registry.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { busybox, createPod, deletePod, eventsInclude, podWith, statusBecomes, waitingBecomes } from './pod-helpers.ts';
import { getPod, untilTerm } from './support.ts';

const run = promisify(execFile);
const peapod = resolve(import.meta.dirname, '../../bin/peapod');
const timeout = 90_000;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('pulls through an authenticated mirror', { concurrency: true }, () => {
  let dir: string;
  let open: TestRegistry;
  let locked: TestRegistry;
  let server: TestServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'peapod-mirror-'));
    [open, locked] = await Promise.all([startRegistry({ htpasswd: { user: 'pw' } }), startRegistry({ htpasswd: { user: 'pw' } })]);
    buildBusyboxImage(join(dir, 'busybox'));
    // busybox:mirrored exists only here, so a pull of it proves which registry served it.
    for (const reference of ['library/busybox:latest', 'library/busybox:mirrored']) {
      await push(open, join(dir, 'busybox'), reference, { authorization: basic('user', 'pw') });
    }
    const registries = join(dir, 'registries.yaml');
    await writeFile(registries, [
      'mirrors:',
      `  docker.io: {endpoint: ["http://${open.host}"]}`,
      `  locked.example: {endpoint: ["http://${locked.host}"]}`,
      `  "*": {endpoint: ["http://${open.host}"]}`,
      'configs:',
      `  "${open.host}": {auth: {username: user, password: pw}}`,
      `  "${locked.host}": {auth: {username: user, password: wrong}}`,
      '',
    ].join('\n'));
    // startServer passes the run's own mirror file first; a later --registries replaces it (parseArgs keeps the last value).
    server = await startServer({ agent: true, args: ['--registries', registries] });
  });

  after(async () => {
    await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
    await server.stop();
    await Promise.all([open.stop(), locked.stop()]);
    await rm(dir, { recursive: true, force: true });
  });

  test('image: busybox and busybox:mirrored pull with the configured credentials', { timeout }, async () => {
    await createPod(server, podWith('via-mirror', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('plain', { command: untilTerm('echo plain;') }), busybox('tagged', { image: 'busybox:mirrored', command: untilTerm('echo tagged;') })],
    }));
    await statusBecomes(server, 'via-mirror', 'Running', 30_000);
    await eventsInclude(server, 'via-mirror', [
      /^Normal Pulled: Successfully pulled image "busybox" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/,
      /^Normal Pulled: Successfully pulled image "busybox:mirrored" in \S+ \(\S+ including waiting\)\. Image size: \d+ bytes\.$/,
    ]);
    const statuses = (await getPod(server, 'via-mirror')).status?.containerStatuses ?? [];
    for (const status of statuses) assert.match(status.imageID ?? '', /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
    // As containerd reports it: the normalized name of the image run (a tag of it, for an image with several tags).
    assert.deepEqual(statuses.map((s) => s.name), ['plain', 'tagged']);
    assert.equal(statuses[0]?.image, 'docker.io/library/busybox:latest');
    assert.match(statuses[1]?.image ?? '', /^docker\.io\/library\/busybox:(latest|mirrored)$/);
    await deletePod(server, 'via-mirror');
  });

  test('wrong credentials: ErrImagePull with the registry\'s 401', { timeout }, async () => {
    await createPod(server, podWith('wrong-credentials', { containers: [busybox('c', { image: 'locked.example/library/busybox:latest' })] }));
    const lines = await eventsInclude(server, 'wrong-credentials', [
      /^Warning Failed: Failed to pull image "locked\.example\/library\/busybox:latest": .*401/,
      'Warning Failed: Error: ErrImagePull',
    ]);
    const failed = lines.find((line) => line.startsWith('Warning Failed: Failed to pull image'));
    assert.match(failed ?? '', /401 Unauthorized|authentication required/, failed);
    const waiting = await waitingBecomes(server, 'wrong-credentials', 'ImagePullBackOff');
    assert.match(waiting.message ?? '', /^Back-off pulling image "locked\.example\/library\/busybox:latest"/);
    await deletePod(server, 'wrong-credentials');
  });

  test('peapod images ls on the server\'s data dir lists the pulled images', { timeout }, async () => {
    await createPod(server, podWith('for-listing', { terminationGracePeriodSeconds: 1, containers: [busybox('c', { command: untilTerm('true;') })] }));
    await statusBecomes(server, 'for-listing', 'Running', 30_000);
    const { stdout } = await run(peapod, ['images', 'ls', '--data-dir', server.dataDir]);
    const lines = stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    assert.ok(
      lines.some((line) => /^docker\.io\/library\/busybox\s+latest\s+[0-9a-f]{13}\s+\d+(\.\d+)?[kM]B$/.test(line)),
      `busybox:latest in:\n${stdout}`,
    );
    assert.ok(!lines.some((line) => line.startsWith('locked.example')), `no image from the locked registry in:\n${stdout}`);
    await deletePod(server, 'for-listing');
  });
});
