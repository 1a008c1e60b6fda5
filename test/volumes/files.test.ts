import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, readFileSync, readlinkSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ContainerConfigError, type PodVolumes } from '../../src/agent/volumes/index.ts';
import { mountedFsType } from '../../src/agent/volumes/mount.ts';
import { context, harness, makePod, type Harness } from './fixtures.ts';

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.cleanup());

const read = (volumes: PodVolumes, name: string, file: string): string => readFileSync(join(volumes.volumes.get(name)!.path, file), 'utf8');
const mode = (path: string): number => statSync(path).mode & 0o7777;

describe('configMap volumes', () => {
  test('every key becomes a file behind the AtomicWriter layout', async () => {
    h.sources.addConfigMap('cfg', { 'app.conf': 'a=1\n', other: 'x' }, { 'blob.bin': Buffer.from([0, 1, 2]).toString('base64') });
    const volumes = await h.manager.setUp(makePod({ volumes: [{ name: 'config', configMap: { name: 'cfg' } }] }), context);
    const dir = join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~configmap', 'config');
    assert.deepEqual(volumes.volumes.get('config'), { path: dir, readOnly: true });
    assert.equal(read(volumes, 'config', 'app.conf'), 'a=1\n');
    assert.deepEqual(readFileSync(join(dir, 'blob.bin')), Buffer.from([0, 1, 2]));
    assert.equal(readlinkSync(join(dir, 'app.conf')), '..data/app.conf');
    assert.match(readlinkSync(join(dir, '..data')), /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\./);
    assert.equal(mode(join(dir, 'app.conf')), 0o644);
    assert.equal(mode(dir), 0o777);
    assert.equal(mountedFsType(dir), undefined, 'configMaps live on disk');
  });

  test('items map keys to paths with their own modes; defaultMode applies to the rest', async () => {
    h.sources.addConfigMap('cfg', { a: 'A', b: 'B', c: 'C' });
    const volumes = await h.manager.setUp(makePod({
      volumes: [{ name: 'config', configMap: { name: 'cfg', defaultMode: 0o400, items: [{ key: 'a', path: 'sub/dir/a.txt', mode: 0o600 }, { key: 'b', path: 'b.txt' }] } }],
    }), context);
    const dir = volumes.volumes.get('config')!.path;
    assert.deepEqual(readdirSync(dir).filter((n) => !n.startsWith('..')).sort(), ['b.txt', 'sub']);
    assert.equal(read(volumes, 'config', 'sub/dir/a.txt'), 'A');
    assert.equal(mode(join(dir, 'sub/dir/a.txt')), 0o600);
    assert.equal(mode(join(dir, 'b.txt')), 0o400);
    assert.equal(readlinkSync(join(dir, 'sub')), '..data/sub');
  });

  test('an update swaps ..data to a new version and drops keys that went away', async () => {
    h.sources.addConfigMap('cfg', { a: 'one', gone: 'x' });
    const pod = makePod({ volumes: [{ name: 'config', configMap: { name: 'cfg' } }] });
    const volumes = await h.manager.setUp(pod, context);
    const dir = volumes.volumes.get('config')!.path;
    const before = readlinkSync(join(dir, '..data'));
    await h.manager.setUp(pod, context);
    assert.equal(readlinkSync(join(dir, '..data')), before, 'no change, no new version');

    h.sources.addConfigMap('cfg', { a: 'two', added: 'y' });
    await h.manager.setUp(pod, context);
    const after = readlinkSync(join(dir, '..data'));
    assert.notEqual(after, before);
    assert.equal(read(volumes, 'config', 'a'), 'two');
    assert.equal(read(volumes, 'config', 'added'), 'y');
    assert.throws(() => lstatSync(join(dir, 'gone')), /ENOENT/);
    assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('..')).sort(), ['..data', after].sort(), 'the old version is removed');
  });

  test('a missing configMap or key fails with the kubelet message; optional ones do not', async () => {
    await assert.rejects(h.manager.setUp(makePod({ volumes: [{ name: 'config', configMap: { name: 'nope' } }] }), context),
      (err: unknown) => err instanceof ContainerConfigError && err.message === 'configmap "nope" not found' && err.volume === 'config'
        && err.mountEventMessage === 'MountVolume.SetUp failed for volume "config" : configmap "nope" not found');
    assert.throws(() => statSync(join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~configmap', 'config')), /ENOENT/, 'nothing half-made');

    h.sources.addConfigMap('cfg', { a: 'A' });
    await assert.rejects(h.manager.setUp(makePod({ volumes: [{ name: 'config', configMap: { name: 'cfg', items: [{ key: 'zz', path: 'z' }] } }] }), context),
      { name: 'ContainerConfigError', message: 'configmap references non-existent config key: zz' });

    const volumes = await h.manager.setUp(makePod({
      volumes: [
        { name: 'absent', configMap: { name: 'nope', optional: true } },
        { name: 'partial', configMap: { name: 'cfg', optional: true, items: [{ key: 'zz', path: 'z' }, { key: 'a', path: 'a' }] } },
      ],
    }), context);
    assert.deepEqual(readdirSync(volumes.volumes.get('absent')!.path).filter((n) => !n.startsWith('..')), []);
    assert.deepEqual(readdirSync(volumes.volumes.get('partial')!.path).filter((n) => !n.startsWith('..')), ['a']);
  });
});

describe('secret volumes', () => {
  test('decoded files on a tmpfs sized by the pod memory limit', async () => {
    h.sources.addSecret('creds', { password: 's3cret' });
    const pod = makePod({
      containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory: '64Mi' } } }],
      volumes: [{ name: 'creds', secret: { secretName: 'creds', defaultMode: 0o440 } }],
    });
    const volumes = await h.manager.setUp(pod, context);
    const dir = join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~secret', 'creds');
    assert.equal(volumes.volumes.get('creds')!.path, dir);
    assert.equal(read(volumes, 'creds', 'password'), 's3cret');
    assert.equal(mode(join(dir, 'password')), 0o440);
    assert.equal(mountedFsType(dir), 'tmpfs');
    assert.match(readFileSync('/proc/self/mountinfo', 'utf8').split('\n').find((l) => l.split(' ')[4] === dir)!, /size=65536k/);
  });

  test('missing secret and key messages; optional secret gives an empty volume', async () => {
    await assert.rejects(h.manager.setUp(makePod({ volumes: [{ name: 's', secret: { secretName: 'nope' } }] }), context),
      { name: 'ContainerConfigError', message: 'secret "nope" not found' });
    h.sources.addSecret('creds', { a: 'A' });
    await assert.rejects(h.manager.setUp(makePod({ volumes: [{ name: 's', secret: { secretName: 'creds', items: [{ key: 'b', path: 'b' }] } }] }), context),
      { name: 'ContainerConfigError', message: 'references non-existent secret key: b' });
    const volumes = await h.manager.setUp(makePod({ volumes: [{ name: 's', secret: { secretName: 'nope', optional: true } }] }), context);
    assert.deepEqual(readdirSync(volumes.volumes.get('s')!.path).filter((n) => !n.startsWith('..')), []);
  });
});

describe('downwardAPI volumes', () => {
  test('metadata fields and resources with divisors, limits defaulting to node allocatable', async () => {
    const pod = makePod({
      containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu: '250m', memory: '100Mi' }, limits: { memory: '200Mi' } } }],
      volumes: [{
        name: 'info',
        downwardAPI: {
          items: [
            { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
            { path: 'namespace', fieldRef: { fieldPath: 'metadata.namespace' } },
            { path: 'uid', fieldRef: { fieldPath: 'metadata.uid' } },
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' }, mode: 0o600 },
            { path: 'tier', fieldRef: { fieldPath: "metadata.labels['tier']" } },
            { path: 'cpu_limit', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
            { path: 'cpu_request_m', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu', divisor: '1m' } },
            { path: 'cpu_request', resourceFieldRef: { containerName: 'app', resource: 'requests.cpu' } },
            { path: 'mem_limit_mi', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
            { path: 'mem_request', resourceFieldRef: { containerName: 'app', resource: 'requests.memory' } },
          ],
        },
      }],
    });
    const volumes = await h.manager.setUp(pod, context);
    const dir = join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~downward-api', 'info');
    assert.equal(volumes.volumes.get('info')!.path, dir);
    const file = (name: string): string => read(volumes, 'info', name);
    assert.equal(file('name'), 'web');
    assert.equal(file('namespace'), 'team');
    assert.equal(file('uid'), 'uid-1');
    assert.equal(file('labels'), 'app="web"\ntier="front"');
    assert.equal(file('annotations'), 'note="say \\"hi\\"\\n"');
    assert.equal(mode(join(dir, 'annotations')), 0o600);
    assert.equal(mode(join(dir, 'name')), 0o644);
    assert.equal(file('tier'), 'front');
    assert.equal(file('cpu_limit'), '4', 'no cpu limit: node allocatable');
    assert.equal(file('cpu_request_m'), '250');
    assert.equal(file('cpu_request'), '1', 'rounded up');
    assert.equal(file('mem_limit_mi'), '200');
    assert.equal(file('mem_request'), String(100 * 1024 * 1024));
  });

  test('label changes are rewritten on the next setUp', async () => {
    const pod = makePod({ volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } }] });
    const volumes = await h.manager.setUp(pod, context);
    pod.metadata!.labels = { app: 'web2' };
    await h.manager.setUp(pod, context);
    assert.equal(read(volumes, 'info', 'labels'), 'app="web2"');
  });

  test('an unknown container is an error', async () => {
    const pod = makePod({ volumes: [{ name: 'info', downwardAPI: { items: [{ path: 'x', resourceFieldRef: { containerName: 'nope', resource: 'limits.cpu' } }] } }] });
    await assert.rejects(h.manager.setUp(pod, context), { name: 'ContainerConfigError', message: 'container nope not found' });
  });

  test('init containers\' missing limits are the node allocatable too; values are quoted as Go does', async () => {
    const pod = makePod({
      initContainers: [{ name: 'init', image: 'busybox' }],
      volumes: [{ name: 'info', downwardAPI: { items: [
        { path: 'init_cpu', resourceFieldRef: { containerName: 'init', resource: 'limits.cpu', divisor: '1m' } },
        { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
      ] } }],
    });
    pod.metadata!.annotations = { ctl: 'a\tb\x01c\x7f' };
    const volumes = await h.manager.setUp(pod, context);
    assert.equal(read(volumes, 'info', 'init_cpu'), '4000');
    assert.equal(read(volumes, 'info', 'annotations'), 'ctl="a\\tb\\x01c\\x7f"');
  });

  test('only metadata fields, with the kubelet\'s messages, each failure once', async () => {
    const item = (path: string, fieldPath: string) => ({ path, fieldRef: { fieldPath } });
    const pod = makePod({ volumes: [{ name: 'info', downwardAPI: { items: [
      item('node', 'spec.nodeName'), item('again', 'spec.nodeName'), item('sub', "metadata.name['a']"), item('key', "metadata.labels['-bad']"),
    ] } }] });
    await assert.rejects(h.manager.setUp(pod, context), (err: Error & { volume?: string }) => {
      assert.equal(err.name, 'ContainerConfigError');
      assert.equal(err.volume, 'info');
      assert.match(err.message, /^\[unsupported fieldPath: spec\.nodeName, fieldPath "metadata\.name\['a'\]" does not support subscript, invalid key subscript in metadata\.labels\['-bad'\]: name part must consist of/);
      return true;
    });
  });
});

describe('projected volumes', () => {
  test('configMap, secret and downwardAPI sources merge into one tmpfs volume', async () => {
    h.sources.addConfigMap('cfg', { 'app.conf': 'conf' });
    h.sources.addSecret('creds', { token: 'tok' });
    const pod = makePod({
      volumes: [{
        name: 'all',
        projected: {
          defaultMode: 0o640,
          sources: [
            { configMap: { name: 'cfg' } },
            { secret: { name: 'creds', items: [{ key: 'token', path: 'secrets/token', mode: 0o400 }] } },
            { downwardAPI: { items: [{ path: 'podname', fieldRef: { fieldPath: 'metadata.name' } }] } },
          ],
        },
      }],
    });
    const volumes = await h.manager.setUp(pod, context);
    const dir = join(h.rootDir, 'uid-1', 'volumes', 'kubernetes.io~projected', 'all');
    assert.deepEqual(volumes.volumes.get('all'), { path: dir, readOnly: true });
    assert.equal(read(volumes, 'all', 'app.conf'), 'conf');
    assert.equal(read(volumes, 'all', 'secrets/token'), 'tok');
    assert.equal(read(volumes, 'all', 'podname'), 'web');
    assert.equal(mode(join(dir, 'app.conf')), 0o640);
    assert.equal(mode(join(dir, 'secrets/token')), 0o400);
    assert.equal(mountedFsType(dir), 'tmpfs');
  });

  test('every failing source is reported; service account tokens are refused clearly', async () => {
    const pod = makePod({ volumes: [{ name: 'all', projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } }] });
    await assert.rejects(h.manager.setUp(pod, context), { name: 'ContainerConfigError', message: '[configmap "a" not found, secret "b" not found]' });
    const token = makePod({ volumes: [{ name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] });
    await assert.rejects(h.manager.setUp(token, context), { name: 'ContainerConfigError', message: /serviceAccountToken projections are not supported/ });
  });
});

describe('fsGroup', () => {
  test('files volumes get the group, group read and setgid directories', async () => {
    h.sources.addConfigMap('cfg', { a: 'A' });
    h.sources.addSecret('creds', { s: 'S' });
    const pod = makePod({
      securityContext: { fsGroup: 2000 },
      volumes: [{ name: 'config', configMap: { name: 'cfg', defaultMode: 0o600 } }, { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } }],
    });
    const volumes = await h.manager.setUp(pod, context);
    // A tmpfs root keeps its sticky bit, as under the kubelet (drwxrwsrwt).
    for (const [name, file, fileMode, dirMode] of [['config', 'a', 0o640, 0o2777], ['creds', 's', 0o440, 0o3777]] as const) {
      const dir = volumes.volumes.get(name)!.path;
      const real = join(dir, readlinkSync(join(dir, '..data')), file);
      assert.equal(statSync(real).gid, 2000);
      assert.equal(mode(real), fileMode, `${name}: mode | 0440`);
      assert.equal(mode(dir), dirMode, `${name}: the volume directory`);
      assert.equal(statSync(join(dir, '..data')).gid, 2000);
      assert.equal(mode(join(dir, '..data')), 0o2755, `${name}: the version directory`);
    }
  });
});
