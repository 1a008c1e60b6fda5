// What the containers of one pod share, on real runc pods driven by kubectl 1.32: the network
// (localhost, the pod IP seen from another pod and from the node), volumes, the hostname and
// /etc/hosts, IPC (/dev/shm), the PID namespace when asked, and resolv.conf from the DNS policy.
// Containers print what they observe and end with a marker line; the test reads `kubectl logs`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.d.ts';
import { kubectl } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { parseTable } from '../support/table.ts';
import { eventually } from '../support/wait.ts';

const startMs = 90_000;
const done = 'END-OF-OUTPUT';
let server: TestServer;

before(async () => {
  server = await startServer({ agent: true });
});

after(async () => {
  await server?.stop();
});

/** A busybox container running `script`, then idling until SIGTERM (sh as PID 1 ignores it otherwise). */
function shell(name: string, script: string, extra: Partial<Container> = {}): Container {
  return { name, image: 'busybox', command: ['sh', '-c', `trap "exit 0" TERM; ${script}; echo ${done}; sleep 3600 & wait`], ...extra };
}

function pod(name: string, spec: PodSpec): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, ...spec } };
}

async function run(args: string[], input?: string): Promise<string> {
  const result = await kubectl(server, args, input === undefined ? {} : { input });
  assert.equal(result.code, 0, `kubectl ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function create(manifest: Pod): Promise<void> {
  await run(['create', '-f', '-'], JSON.stringify(manifest));
}

async function remove(name: string): Promise<void> {
  await run(['delete', 'pod', name, '--grace-period=1', '--ignore-not-found']);
}

/** The container's whole output once it printed the end marker (without the marker line). */
async function output(podName: string, container: string): Promise<string> {
  const text = await eventually(`${podName}/${container} to print its output`, async () => {
    const result = await kubectl(server, ['logs', podName, '-c', container]);
    if (result.code !== 0) throw new Error(result.stderr.trim());
    return result.stdout.includes(`${done}\n`) ? result.stdout : undefined;
  }, startMs, 250);
  return text.slice(0, text.indexOf(`${done}\n`));
}

async function podIP(name: string): Promise<string> {
  return eventually(`an IP for pod ${name}`, async () => {
    const ip = (await run(['get', 'pod', name, '-o', 'jsonpath={.status.podIP}'])).trim();
    return ip === '' ? undefined : ip;
  }, startMs, 250);
}

/** Lines of busybox `ps` (PID USER TIME COMMAND) as {pid, command}. */
function processes(psOutput: string): { pid: number; command: string }[] {
  return psOutput.split('\n').slice(1).filter((line) => line.trim() !== '').map((line) => {
    const [pid, , ...rest] = line.trim().split(/\s+/);
    return { pid: Number(pid), command: rest.join(' ') };
  });
}

describe('containers of a pod', { concurrency: true }, () => {
  test('share a volume and localhost; the pod IP serves other pods and the node', async () => {
    // The page is renamed into place so that a fetch never reads it half-written; the fetch loops
    // keep wget's errors (refused, 404) out of the logs the test compares.
    const web = pod('web', {
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [
        shell('writer', 'echo hello-from-pod > /data/.index.html && mv /data/.index.html /data/index.html', { volumeMounts: [{ name: 'data', mountPath: '/data' }] }),
        { name: 'server', image: 'busybox', command: ['httpd', '-f', '-p', '80', '-h', '/data'], volumeMounts: [{ name: 'data', mountPath: '/data' }] },
        shell('fetcher', 'until wget -qO- http://127.0.0.1/index.html 2>/dev/null; do sleep 0.2; done'),
      ],
    });
    try {
      await create(web);
      assert.equal(await output('web', 'fetcher'), 'hello-from-pod\n');
      const ip = await podIP('web');

      const client = pod('web-client', {
        containers: [shell('fetch', 'until wget -qO- http://$PEER_IP/index.html 2>/dev/null; do sleep 0.2; done', {
          env: [{ name: 'PEER_IP', value: ip }],
        })],
      });
      await create(client);
      assert.equal(await output('web-client', 'fetch'), 'hello-from-pod\n');

      const response = await fetch(`http://${ip}/index.html`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'hello-from-pod\n');

      // Status reaches the API after the containers start: wait for all three to be reported ready.
      const row = await eventually('web to be reported 3/3', async () => {
        const [found] = parseTable(await run(['get', 'pod', 'web', '-o', 'wide']));
        return found?.READY === '3/3' ? found : undefined;
      }, startMs, 250);
      assert.deepEqual(
        { NAME: row.NAME, READY: row.READY, STATUS: row.STATUS, RESTARTS: row.RESTARTS, IP: row.IP, NODE: row.NODE },
        { NAME: 'web', READY: '3/3', STATUS: 'Running', RESTARTS: '0', IP: ip, NODE: 'node1' },
      );
    } finally {
      await Promise.all([remove('web'), remove('web-client')]);
    }
  });

  test('the hostname is the pod name, and /etc/hosts maps the pod IP to it', async () => {
    try {
      await create(pod('named-pod', { containers: [shell('c', 'hostname; cat /etc/hostname; tail -n 1 /etc/hosts')] }));
      const ip = await podIP('named-pod');
      assert.equal(await output('named-pod', 'c'), `named-pod\nnamed-pod\n${ip}\tnamed-pod\n`);
    } finally {
      await remove('named-pod');
    }
  });

  test('spec.hostname and subdomain give the hostname and the FQDN in /etc/hosts', async () => {
    try {
      await create(pod('fqdn-pod', { hostname: 'box', subdomain: 'group', containers: [shell('c', 'hostname; cat /etc/hosts')] }));
      const ip = await podIP('fqdn-pod');
      assert.equal(await output('fqdn-pod', 'c'), [
        'box',
        '# Kubernetes-managed hosts file.',
        '127.0.0.1\tlocalhost',
        '::1\tlocalhost ip6-localhost ip6-loopback',
        'fe00::0\tip6-localnet',
        'fe00::0\tip6-mcastprefix',
        'fe00::1\tip6-allnodes',
        'fe00::2\tip6-allrouters',
        `${ip}\tbox.group.default.svc.cluster.local\tbox`,
        '',
      ].join('\n'));
    } finally {
      await remove('fqdn-pod');
    }
  });

  test('share IPC: a POSIX shm file written by one container is read by the other', async () => {
    try {
      await create(pod('ipc-pod', {
        containers: [
          shell('producer', 'echo shared-memory-message > /dev/shm/peapod-segment'),
          shell('consumer', 'until [ -s /dev/shm/peapod-segment ]; do sleep 0.2; done; cat /dev/shm/peapod-segment'),
        ],
      }));
      assert.equal(await output('ipc-pod', 'consumer'), 'shared-memory-message\n');
    } finally {
      await remove('ipc-pod');
    }
  });

  test('have their own PID namespace by default: ps shows only the container, PID 1 is its command', async () => {
    try {
      await create(pod('pid-private', {
        containers: [
          shell('observer', 'ps'),
          shell('other', 'echo other-container-marker'),
        ],
      }));
      const seen = processes(await output('pid-private', 'observer'));
      assert.equal(seen.find((p) => p.pid === 1)?.command.includes('ps; echo'), true, `PID 1 is not the container's command: ${JSON.stringify(seen)}`);
      assert.equal(seen.some((p) => /other-container-marker|catatonit/.test(p.command)), false, `sees other processes: ${JSON.stringify(seen)}`);
    } finally {
      await remove('pid-private');
    }
  });

  test('with shareProcessNamespace see each other, and PID 1 is the infra process', async () => {
    try {
      await create(pod('pid-shared', {
        shareProcessNamespace: true,
        containers: [
          shell('observer', 'until ps | grep -q sleep-marker-424[2]; do sleep 0.2; done; ps; tr "\\0" " " < /proc/1/cmdline; echo'),
          { name: 'other', image: 'busybox', command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait', 'sleep-marker-4242'] },
        ],
      }));
      const text = await output('pid-shared', 'observer');
      const [psText, cmdline] = [text.slice(0, text.trimEnd().lastIndexOf('\n')), text.trimEnd().split('\n').at(-1) ?? ''];
      const seen = processes(psText);
      assert.match(seen.find((p) => p.pid === 1)?.command ?? '', /catatonit/, `PID 1 in ps: ${JSON.stringify(seen)}`);
      assert.match(cmdline, /catatonit/);
      assert.equal(seen.some((p) => p.command.includes('sleep-marker-4242')), true, `the other container is not visible: ${JSON.stringify(seen)}`);
    } finally {
      await remove('pid-shared');
    }
  });

  test('dnsPolicy Default gives the node resolv.conf', async () => {
    try {
      await create(pod('dns-default', { dnsPolicy: 'Default', containers: [shell('c', 'cat /etc/resolv.conf')] }));
      const node = await readFile('/etc/resolv.conf', 'utf8');
      assert.deepEqual(resolvEntries(await output('dns-default', 'c')), resolvEntries(node));
    } finally {
      await remove('dns-default');
    }
  });

  test('dnsPolicy None takes nameservers, searches and options from spec.dnsConfig', async () => {
    try {
      await create(pod('dns-none', {
        dnsPolicy: 'None',
        dnsConfig: { nameservers: ['192.0.2.10', '192.0.2.11'], searches: ['team.svc.example', 'example.com'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] },
        containers: [shell('c', 'cat /etc/resolv.conf')],
      }));
      assert.equal(
        await output('dns-none', 'c'),
        'search team.svc.example example.com\nnameserver 192.0.2.10\nnameserver 192.0.2.11\noptions ndots:2 edns0\n',
      );
    } finally {
      await remove('dns-none');
    }
  });
});

/** nameserver, search and options entries of a resolv.conf, comments and blank lines left out. */
function resolvEntries(text: string): { servers: string[]; searches: string[]; options: string[] } {
  const lines = text.split('\n').map((line) => line.trim().split(/\s+/)).filter((fields) => fields[0] !== '' && !fields[0]!.startsWith('#'));
  return {
    servers: lines.filter((f) => f[0] === 'nameserver').map((f) => f[1] ?? ''),
    searches: lines.filter((f) => f[0] === 'search').flatMap((f) => f.slice(1)),
    options: lines.filter((f) => f[0] === 'options').flatMap((f) => f.slice(1)),
  };
}
