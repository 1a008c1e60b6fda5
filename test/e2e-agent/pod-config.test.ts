// How a pod's spec configures its containers, on real runc pods driven by kubectl 1.32: volumes
// (configMap, secret, downwardAPI, projected, emptyDir in memory, hostPath, subPath, read-only),
// environment variables from every source, and the security context. Containers print what they
// observe and end with a marker line; the test reads `kubectl logs`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMap, Container, Pod, PodSpec, Secret } from 'kubernetes-types/core/v1.d.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { parseTable } from '../support/table.ts';
import { eventually } from '../support/wait.ts';

const startMs = 90_000;
const done = 'END-OF-OUTPUT';
const imagePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
let server: TestServer;
let hostDir: string;

const settings: ConfigMap = {
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' },
  data: { color: 'blue', size: 'large', 'app.conf': 'mode=fast\n' },
};
const credentials: Secret = {
  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'credentials' },
  stringData: { username: 'admin', password: 's3cr3t' },
};

before(async () => {
  hostDir = await mkdtemp(join(tmpdir(), 'peapod-hostpath-'));
  server = await startServer({ agent: true });
  await run(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [settings, credentials] }));
});

after(async () => {
  await server?.stop();
  await rm(hostDir, { recursive: true, force: true });
});

/** A busybox container running `script`, then idling until SIGTERM (sh as PID 1 ignores it otherwise). */
function shell(name: string, script: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', command: ['sh', '-c', `trap "exit 0" TERM; ${script}; echo ${done}; sleep 3600 & wait`], ...extra };
}

function pod(name: string, spec: PodSpec, labels?: Record<string, string>, annotations?: Record<string, string>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels, annotations }, spec: { terminationGracePeriodSeconds: 1, ...spec } };
}

async function run(args: string[], input?: string): Promise<string> {
  const result = await kubectl(server, args, input === undefined ? {} : { input });
  assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** Creates the pod, waits for its container's output, deletes the pod; returns the output (without the marker). */
async function observe(manifest: Pod, container = manifest.spec?.containers[0]?.name ?? ''): Promise<{ text: string; pod: Pod }> {
  const name = manifest.metadata?.name ?? '';
  try {
    await run(['create', '-f', '-'], JSON.stringify(manifest));
    const text = await eventually(`${name}/${container} to print its output`, async () => {
      const result = await kubectl(server, ['logs', name, '-c', container]);
      if (result.code !== 0) throw new Error(result.stderr.trim());
      return result.stdout.includes(`${done}\n`) ? result.stdout : undefined;
    }, startMs, 250);
    const live = JSON.parse(await run(['get', 'pod', name, '-o', 'json'])) as Pod;
    return { text: text.slice(0, text.indexOf(`${done}\n`)), pod: live };
  } finally {
    await run(['delete', 'pod', name, '--grace-period=1', '--ignore-not-found']);
  }
}

/** `KEY=value` lines (as printed by `echo KEY=...`) as a record. */
function keyValues(text: string): Record<string, string> {
  return Object.fromEntries(text.split('\n').filter((l) => l.includes('=')).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('volumes', { concurrency: true }, () => {
  test('configMap items with defaultMode and per-item mode; secret files', async () => {
    const { text } = await observe(pod('vol-cm-secret', {
      volumes: [
        { name: 'cm', configMap: { name: 'settings', defaultMode: 0o440, items: [{ key: 'color', path: 'dir/color.txt' }, { key: 'size', path: 'size.txt', mode: 0o400 }] } },
        { name: 'sec', secret: { secretName: 'credentials' } },
      ],
      containers: [shell('c', [
        'echo color=$(cat /cm/dir/color.txt)', 'echo size=$(cat /cm/size.txt)',
        'echo colorMode=$(stat -L -c %a /cm/dir/color.txt)', 'echo sizeMode=$(stat -L -c %a /cm/size.txt)',
        'echo unlisted=$(test -e /cm/app.conf && echo present || echo absent)',
        'echo username=$(cat /sec/username)', 'echo password=$(cat /sec/password)', 'echo secretMode=$(stat -L -c %a /sec/username)',
      ].join('; '), {
        volumeMounts: [{ name: 'cm', mountPath: '/cm' }, { name: 'sec', mountPath: '/sec' }],
      })],
    }));
    assert.deepEqual(keyValues(text), {
      color: 'blue', size: 'large', colorMode: '440', sizeMode: '400', unlisted: 'absent',
      username: 'admin', password: 's3cr3t', secretMode: '644',
    });
  });

  test('downwardAPI files: labels, annotations, limits.cpu', async () => {
    const { text } = await observe(pod('vol-downward', {
      volumes: [{
        name: 'info', downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
            { path: 'annotations', fieldRef: { fieldPath: 'metadata.annotations' } },
            { path: 'owner', fieldRef: { fieldPath: "metadata.annotations['team.example.com/owner']" } },
            { path: 'cpu_limit', resourceFieldRef: { containerName: 'c', resource: 'limits.cpu', divisor: '1m' } },
          ],
        },
      }],
      containers: [shell('c', 'cat /info/labels; echo; cat /info/owner; echo; cat /info/cpu_limit; echo; cat /info/annotations', {
        resources: { limits: { cpu: '250m', memory: '64Mi' } },
        volumeMounts: [{ name: 'info', mountPath: '/info' }],
      })],
    }, { app: 'demo', tier: 'backend' }, { 'team.example.com/owner': 'alice' }));
    const lines = text.split('\n');
    assert.deepEqual(lines.slice(0, 4), ['app="demo"', 'tier="backend"', 'alice', '250']);
    const annotations = lines.slice(4);
    // The kubelet adds its own kubernetes.io/config.* annotations; the pod's own one must be there.
    assert.ok(annotations.includes('team.example.com/owner="alice"'), `annotations file: ${JSON.stringify(annotations)}`);
  });

  test('projected: configMap, secret and downwardAPI in one directory', async () => {
    const { text } = await observe(pod('vol-projected', {
      volumes: [{
        name: 'all', projected: {
          sources: [
            { configMap: { name: 'settings', items: [{ key: 'color', path: 'color' }] } },
            { secret: { name: 'credentials', items: [{ key: 'username', path: 'user' }] } },
            { downwardAPI: { items: [{ path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
          ],
        },
      }],
      containers: [shell('c', 'echo color=$(cat /all/color); echo user=$(cat /all/user); echo name=$(cat /all/name); echo files=$(ls /all | tr "\\n" " ")', {
        volumeMounts: [{ name: 'all', mountPath: '/all' }],
      })],
    }));
    assert.deepEqual(keyValues(text), { color: 'blue', user: 'admin', name: 'vol-projected', files: 'color name user' });
  });

  test('emptyDir medium Memory is a tmpfs of sizeLimit', async () => {
    const { text } = await observe(pod('vol-memory', {
      volumes: [{ name: 'scratch', emptyDir: { medium: 'Memory', sizeLimit: '32Mi' } }],
      containers: [shell('c', 'df -k /scratch | tail -n 1; grep " /scratch " /proc/mounts', { volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] })],
    }));
    const [dfLine, mountLine] = text.trim().split('\n');
    const [, blocks] = dfLine?.trim().split(/\s+/) ?? [];
    assert.equal(blocks, String(32 * 1024), `df: ${dfLine}`);
    assert.equal(mountLine?.split(' ')[2], 'tmpfs', `mount: ${mountLine}`);
  });

  test('hostPath DirectoryOrCreate creates the directory on the node and shares its files', async () => {
    const path = join(hostDir, 'created', 'by-kubelet');
    const { text } = await observe(pod('vol-hostpath', {
      volumes: [{ name: 'host', hostPath: { path, type: 'DirectoryOrCreate' } }],
      containers: [shell('c', 'echo from-container > /host/file.txt; echo written', { volumeMounts: [{ name: 'host', mountPath: '/host' }] })],
    }));
    assert.equal(text, 'written\n');
    assert.equal(((await stat(path)).mode & 0o7777).toString(8), '755');
    assert.equal(await readFile(join(path, 'file.txt'), 'utf8'), 'from-container\n');
  });

  test('subPath mounts one directory of a volume, and one key of a configMap as a file', async () => {
    const { text } = await observe(pod('vol-subpath', {
      volumes: [{ name: 'shared', emptyDir: {} }, { name: 'cm', configMap: { name: 'settings' } }],
      containers: [shell('c', 'echo inside > /part/file; ls /whole/nested; cat /etc/app.conf; ls /etc | grep -c "^color$"', {
        volumeMounts: [
          { name: 'shared', mountPath: '/part', subPath: 'nested' },
          { name: 'shared', mountPath: '/whole' },
          { name: 'cm', mountPath: '/etc/app.conf', subPath: 'app.conf' },
        ],
      })],
    }));
    assert.equal(text, 'file\nmode=fast\n0\n');
  });

  test('a readOnly mount refuses writes', async () => {
    const { text } = await observe(pod('vol-readonly', {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [shell('c', 'if touch /ro/file 2>/tmp/err; then echo write-succeeded; else echo write-failed; cat /tmp/err; fi', {
        volumeMounts: [{ name: 'data', mountPath: '/ro', readOnly: true }],
      })],
    }));
    assert.match(text, /^write-failed\n.*Read-only file system/);
  });
});

describe('environment', { concurrency: true }, () => {
  test('values, expansion, downward API, resources, configMap and secret keys, envFrom with prefix; PATH from the image', async () => {
    const { text, pod: live } = await observe(pod('env-pod', {
      // /proc/1/environ is the environment the runtime gave the container, names that are not
      // shell identifiers (CM_app.conf) included.
      containers: [shell('c', 'tr "\\0" "\\n" < /proc/1/environ', {
        resources: { requests: { cpu: '100m', memory: '32Mi' }, limits: { cpu: '500m', memory: '64Mi' } },
        env: [
          { name: 'GREETING', value: 'hello' },
          { name: 'EXPANDED', value: '$(GREETING)-world' },
          { name: 'ESCAPED', value: '$$(GREETING)' },
          { name: 'UNRESOLVED', value: '$(NOT_DEFINED)' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'CPU_LIMIT_MILLIS', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
          { name: 'MEMORY_REQUEST', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'settings', key: 'color' } } },
          { name: 'USERNAME', valueFrom: { secretKeyRef: { name: 'credentials', key: 'username' } } },
        ],
        envFrom: [{ prefix: 'CM_', configMapRef: { name: 'settings' } }, { secretRef: { name: 'credentials' } }],
      })],
    }));
    const env = keyValues(text);
    assert.deepEqual({
      GREETING: env.GREETING, EXPANDED: env.EXPANDED, ESCAPED: env.ESCAPED, UNRESOLVED: env.UNRESOLVED,
      POD_NAME: env.POD_NAME, POD_IP: env.POD_IP, NODE_NAME: env.NODE_NAME,
      CPU_LIMIT_MILLIS: env.CPU_LIMIT_MILLIS, MEMORY_REQUEST: env.MEMORY_REQUEST, COLOR: env.COLOR, USERNAME: env.USERNAME,
      CM_color: env.CM_color, CM_size: env.CM_size, 'CM_app.conf': env['CM_app.conf'], username: env.username, password: env.password,
      PATH: env.PATH, HOSTNAME: env.HOSTNAME,
    }, {
      GREETING: 'hello', EXPANDED: 'hello-world', ESCAPED: '$(GREETING)', UNRESOLVED: '$(NOT_DEFINED)',
      POD_NAME: 'env-pod', POD_IP: live.status?.podIP, NODE_NAME: 'node1',
      CPU_LIMIT_MILLIS: '500', MEMORY_REQUEST: String(32 * 1024 * 1024), COLOR: 'blue', USERNAME: 'admin',
      CM_color: 'blue', CM_size: 'large', 'CM_app.conf': 'mode=fast', username: 'admin', password: 's3cr3t',
      PATH: imagePath, HOSTNAME: 'env-pod',
    });
  });
});

describe('securityContext', { concurrency: true }, () => {
  test('runAsUser, runAsGroup, supplementalGroups and fsGroup', async () => {
    const { text } = await observe(pod('sc-ids', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000 },
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [shell('c', 'id; stat -c "%g %a" /data; touch /data/f; stat -c "%u %g" /data/f', { volumeMounts: [{ name: 'data', mountPath: '/data' }] })],
    }));
    assert.equal(text, 'uid=1000 gid=3000 groups=2000,3000,4000\n2000 2777\n1000 2000\n');
  });

  test('capabilities: drop ALL, add NET_ADMIN', async () => {
    const { text } = await observe(pod('sc-caps', {
      containers: [shell('c', 'grep -E "^Cap(Eff|Prm|Bnd):" /proc/self/status', {
        securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } },
      })],
    }));
    // CAP_NET_ADMIN is bit 12.
    assert.equal(text, 'CapPrm:\t0000000000001000\nCapEff:\t0000000000001000\nCapBnd:\t0000000000001000\n');
  });

  test('readOnlyRootFilesystem refuses writes to /; allowPrivilegeEscalation false sets NoNewPrivs', async () => {
    const { text } = await observe(pod('sc-rootfs', {
      containers: [shell('c', 'if touch /written 2>/dev/null; then echo root=writable; else echo root=readonly; fi; grep NoNewPrivs /proc/self/status | tr -d "\\t "', {
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
      })],
    }));
    assert.deepEqual(keyValues(text.replace('NoNewPrivs:', 'NoNewPrivs=')), { root: 'readonly', NoNewPrivs: '1' });
  });

  test('runAsNonRoot with runAsUser 0 is refused with CreateContainerConfigError', async () => {
    const manifest = pod('sc-nonroot', {
      containers: [{ name: 'app', image: 'busybox', command: ['sleep', '3600'], securityContext: { runAsNonRoot: true, runAsUser: 0 } }],
    });
    try {
      await run(['create', '-f', '-'], JSON.stringify(manifest));
      const waiting = await eventually('the container to wait with CreateContainerConfigError', async () => {
        const live = JSON.parse(await run(['get', 'pod', 'sc-nonroot', '-o', 'json'])) as Pod;
        const state = live.status?.containerStatuses?.[0]?.state?.waiting;
        return state?.reason === 'CreateContainerConfigError' ? { state, uid: live.metadata?.uid ?? '' } : undefined;
      }, startMs, 250);
      assert.equal(waiting.state.message, `container's runAsUser breaks non-root policy (pod: "sc-nonroot_default(${waiting.uid})", container: app)`);
      const [row] = parseTable(await run(['get', 'pod', 'sc-nonroot']));
      assert.deepEqual({ READY: row?.READY, STATUS: row?.STATUS }, { READY: '0/1', STATUS: 'CreateContainerConfigError' });
    } finally {
      await run(['delete', 'pod', 'sc-nonroot', '--grace-period=1', '--ignore-not-found']);
    }
  });
});
