// imagePullPolicy on a real node, driven by kubectl 1.32, against a registry of this file's own
// behind a counting proxy (what each pull asked the registry for): Always resolves the tag at
// every container start, downloads nothing while the digest stays and only the new layers once it
// moves (the restarted container runs the new image); IfNotPresent and Never use the image on
// the node without a request; Never without the image is ErrImageNeverPull.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageManifest } from '../../src/agent/images/oci/types.ts';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { startCountingProxy, type CountingProxy } from '../images/counting_proxy.ts';
import { push, startRegistry, type TestRegistry } from '../images/registry.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { eventually } from '../support/wait.ts';
import { createPod, deletePod, eventsInclude, kubectlOk, podRow, podWith, statusBecomes, waitingBecomes } from './pod-helpers.ts';
import { getPod, untilTerm, waitRunning } from './support.ts';

const timeout = 120_000;

let dir: string;
let registry: TestRegistry;
let proxy: CountingProxy;
let server: TestServer;
/** The image's repository as pods name it: through the proxy. */
let repo: string;

/** An image of busybox plus a layer holding /version, pushed as policy/app:latest; returns its blobs. */
async function pushVersion(version: string): Promise<{ manifest: string; config: string; layers: string[] }> {
  const layout = join(dir, version);
  const descriptor = buildBusyboxImage(layout, 'gzip', { files: { version: `${version}\n` } });
  await push(registry, layout, 'policy/app:latest');
  const manifest = JSON.parse(await readFile(join(layout, 'blobs/sha256', descriptor.digest.slice('sha256:'.length)), 'utf8')) as ImageManifest;
  return { manifest: descriptor.digest, config: manifest.config.digest, layers: manifest.layers.map((l) => l.digest) };
}

/** Blob digests fetched since request number `from`. */
function blobsFetched(from = 0): string[] {
  return proxy.requests.slice(from).filter((r) => r.startsWith('GET ') && r.includes('/blobs/')).map((r) => r.slice(r.lastIndexOf('/') + 1)).sort();
}

function manifestRequests(from = 0): string[] {
  return proxy.requests.slice(from).filter((r) => r.includes('/v2/policy/app/manifests/'));
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peapod-pull-policy-'));
  registry = await startRegistry();
  proxy = await startCountingProxy(registry.host);
  repo = `${proxy.host}/policy/app`;
  const registries = join(dir, 'registries.yaml');
  await writeFile(registries, `mirrors:\n  "${proxy.host}":\n    endpoint:\n      - "http://${proxy.host}"\n`);
  // The last --registries wins over the test node's default mirror config.
  server = await startServer({ agent: true, args: ['--registries', registries] });
});

// Each step runs whatever happened before (a server that did not start, a kubectl that timed out):
// a live server, proxy or registry keeps this file's process alive.
after(async () => {
  try {
    if (server !== undefined) await kubectl(server, ['delete', 'pods', '--all', '--grace-period=1'], { timeoutMs: 60_000 });
  } finally {
    await server?.stop();
    await proxy?.stop();
    await registry?.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

describe('image pull policies on a real node', () => {
  test('Always (the default without a tag): each start resolves the tag; an unchanged digest downloads nothing, a new one only its new layers', { timeout }, async () => {
    const one = await pushVersion('one');
    const start = proxy.requests.length;
    await createPod(server, podWith('always', { containers: [{ name: 'c', image: repo, command: ['sh', '-c', 'cat /version; sleep 1'] }] }));
    assert.equal((await getPod(server, 'always')).spec?.containers[0]?.imagePullPolicy, 'Always');

    // Attempt 0 ends after a second, attempt 1 starts at once, then the pod backs off for 10 s.
    await eventually('attempt 1 ran and is backing off', async () => {
      const c = (await getPod(server, 'always')).status?.containerStatuses?.[0];
      return c?.restartCount === 1 && c.state?.waiting?.reason === 'CrashLoopBackOff' ? c : undefined;
    }, 60_000, 250);
    assert.equal(await kubectlOk(server, ['logs', 'always']), 'one\n');
    assert.deepEqual(blobsFetched(start), [one.config, ...one.layers].sort(), 'the second pull of the same digest downloaded nothing');
    assert.ok(manifestRequests(start).length >= 2, `the tag was resolved at each start: ${manifestRequests(start).join(', ')}`);

    const two = await pushVersion('two');
    assert.equal(two.layers[0], one.layers[0], 'both images share the busybox layer');
    const pushed = proxy.requests.length;
    const pod = await eventually('attempt 2 on the new image', async () => {
      const p = await getPod(server, 'always');
      return (p.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2 ? p : undefined;
    }, 60_000, 250);
    await eventually('attempt 2 printed its version', async () => ((await kubectlOk(server, ['logs', 'always'])) === 'two\n' ? true : undefined), 10_000, 250);
    assert.deepEqual(blobsFetched(pushed), [two.config, two.layers[1]!].sort(), 'only the new config and the new layer');
    assert.ok(manifestRequests(pushed).length >= 1);
    assert.equal(pod.status?.containerStatuses?.[0]?.imageID, `${repo}@${two.manifest}`);
    await eventsInclude(server, 'always', [
      `Normal Pulling: Pulling image "${repo}"`,
      new RegExp(`^Normal Pulled: Successfully pulled image "${repo.replace(/\./g, '\\.')}" in \\S+ \\(\\S+ including waiting\\)\\. Image size: \\d+ bytes\\.$`),
    ]);
    const pulling = JSON.parse(await kubectlOk(server, ['get', 'events', '--field-selector', 'involvedObject.name=always,reason=Pulling', '-o', 'json'])) as { items: { count?: number }[] };
    assert.ok(pulling.items.reduce((n, e) => n + (e.count ?? 1), 0) >= 3, 'Pulling at every start');
    const row = await podRow(server, 'always');
    assert.match(row.RESTARTS ?? '', /^[2-9] \(\d+s ago\)$/);
    await deletePod(server, 'always');
  });

  test('IfNotPresent and Never with the image on the node: no request to the registry, "already present"', { timeout }, async () => {
    const image = `${repo}:latest`;
    const before = proxy.requests.length;
    for (const policy of ['IfNotPresent', 'Never'] as const) {
      const name = policy.toLowerCase();
      await createPod(server, podWith(name, { containers: [{ name: 'c', image, imagePullPolicy: policy, command: untilTerm('cat /version;') }], terminationGracePeriodSeconds: 1 }));
      await waitRunning(server, [name]);
      await eventsInclude(server, name, [`Normal Pulled: Container image "${image}" already present on machine`]);
      assert.equal(await kubectlOk(server, ['logs', name]), 'two\n');
      const row = await podRow(server, name);
      assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['1/1', 'Running', '0']);
      await deletePod(server, name);
    }
    assert.deepEqual(proxy.requests.slice(before), []);
  });

  test('Never with the image absent: ErrImageNeverPull, and still no request', { timeout }, async () => {
    const image = `${proxy.host}/policy/absent:1`;
    const before = proxy.requests.length;
    await createPod(server, podWith('never-absent', { containers: [{ name: 'c', image, imagePullPolicy: 'Never', command: untilTerm() }] }));
    const row = await statusBecomes(server, 'never-absent', 'ErrImageNeverPull');
    assert.deepEqual([row.READY, row.RESTARTS], ['0/1', '0']);
    const why = `Container image "${image}" is not present with pull policy of Never`;
    assert.equal((await waitingBecomes(server, 'never-absent', 'ErrImageNeverPull')).message, why);
    await eventsInclude(server, 'never-absent', [`Warning ErrImageNeverPull: ${why}`, 'Warning Failed: Error: ErrImageNeverPull']);
    assert.deepEqual(proxy.requests.slice(before), []);
    await deletePod(server, 'never-absent');
  });
});
