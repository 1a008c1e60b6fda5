// Probes on a real node through kubectl 1.32 (exec probes get 5 s: runc exec alone can take over
// the default 1 s on a loaded machine, and a timeout is a different failure): liveness (httpGet to a busybox httpd CGI that turns
// to 500, with a named port and headers) kills and restarts; readiness (exec) drives READY and the
// Ready condition both ways; a startup probe gates the others and kills a container that never
// starts; tcpSocket and grpc (a gRPC health server in busybox sh) from the node to the pod IP.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { eventually } from '../support/wait.ts';
import { grpcHealthServer } from './grpc-server.ts';
import { agentServer, secondsBetween, statusOf } from './lifecycle-helpers.ts';
import { busybox, createPod, deletePod, eventsInclude, podRow, podWith } from './pod-helpers.ts';
import { getPod } from './support.ts';

const timeout = 150_000;

/** A shell line writing each argument as a line of FILE. */
const lines = (file: string, ...text: string[]) => `printf '%s\\n' ${text.map((t) => `'${t.replaceAll("'", "'\\''")}'`).join(' ')} > ${file}`;
/** The rest of a container's script: runs until SIGTERM. */
const serve = 'trap "exit 0" TERM; sleep 3600 & wait';

/** Polls the pod until `check` holds for it; returns the pod. */
function podWhere(server: ReturnType<ReturnType<typeof agentServer>>, name: string, what: string, check: (pod: Pod) => boolean, timeoutMs = 60_000): Promise<Pod> {
  return eventually(`${name}: ${what}`, async () => {
    const pod = await getPod(server, name);
    return check(pod) ? pod : undefined;
  }, timeoutMs, 250);
}

describe('probes on a real node', { concurrency: true }, () => {
  const agent = agentServer();

  test('liveness httpGet (named port, path, header) answered 500: Unhealthy, Killing, restarted at once', { timeout }, async () => {
    const server = agent();
    // 200 while the X-Probe header says so and /tmp/broken is absent; the container breaks itself after 6 s.
    const cgi = lines('/www/cgi-bin/health', '#!/bin/sh',
      'if [ -e /tmp/broken ] || [ "$HTTP_X_PROBE" != yes ]; then printf "Status: 500 Internal Server Error\\r\\n\\r\\nbroken\\n"; else printf "Content-Type: text/plain\\r\\n\\r\\nok\\n"; fi');
    const script = `mkdir -p /www/cgi-bin; ${cgi}; chmod +x /www/cgi-bin/health; httpd -p 8080 -h /www; (sleep 6; touch /tmp/broken) & ${serve}`;
    await createPod(server, podWith('liveness-http', {
      terminationGracePeriodSeconds: 2,
      containers: [busybox('c', {
        command: ['sh', '-c', script], ports: [{ name: 'web', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/cgi-bin/health', port: 'web', httpHeaders: [{ name: 'X-Probe', value: 'yes' }] }, periodSeconds: 1, failureThreshold: 2 },
      })],
    }));
    const pod = await podWhere(server, 'liveness-http', 'restarted and running', (p) => statusOf(p, 'c').restartCount >= 1 && statusOf(p, 'c').state?.running !== undefined);
    const c = statusOf(pod, 'c');
    const firstRun = secondsBetween(c.lastState?.terminated?.startedAt, c.lastState?.terminated?.finishedAt);
    assert.ok(firstRun >= 6 && firstRun <= 16, `killed ${firstRun} s after its start: 6 s healthy, then 2 failures 1 s apart`);
    const gap = secondsBetween(c.lastState?.terminated?.finishedAt, c.state?.running?.startedAt);
    assert.ok(gap <= 10, `restarted ${gap} s after the kill`);
    const events = await eventsInclude(server, 'liveness-http', [
      'Warning Unhealthy: Liveness probe failed: HTTP probe failed with statuscode: 500',
      'Normal Killing: Container c failed liveness probe, will be restarted',
    ]);
    const unhealthy = events.findIndex((e) => e.startsWith('Warning Unhealthy'));
    assert.ok(unhealthy < events.findIndex((e) => e.startsWith('Normal Killing')), `Unhealthy before Killing:\n${events.join('\n')}`);
    const row = await podRow(server, 'liveness-http');
    assert.match(row.RESTARTS ?? '', /^1 \(\d+s ago\)$/);
    assert.equal(row.STATUS, 'Running');
    await deletePod(server, 'liveness-http');
  });

  test('readiness exec: READY 0/1 → 1/1 → 0/1 with the Ready condition, the container never restarted', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('readiness-exec', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', {
        command: ['sh', '-c', `(sleep 3; touch /tmp/ready; sleep 25; rm /tmp/ready) & ${serve}`],
        readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, timeoutSeconds: 5 },
      })],
    }));
    const unready = await podWhere(server, 'readiness-exec', 'running, not ready', (p) => statusOf(p, 'c').state?.running !== undefined);
    assert.equal(statusOf(unready, 'c').ready, false);
    assert.equal(unready.status?.phase, 'Running');
    const ready = await podWhere(server, 'readiness-exec', 'ready', (p) => statusOf(p, 'c').ready, 90_000);
    const readyAfter = secondsBetween(statusOf(ready, 'c').state?.running?.startedAt, ready.status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime);
    assert.ok(readyAfter >= 2 && readyAfter <= 14, `ready ${readyAfter} s after the start (file made at 3 s, probed every 1 s)`);
    assert.equal((await podRow(server, 'readiness-exec')).READY, '1/1');
    const again = await podWhere(server, 'readiness-exec', 'unready again', (p) => !statusOf(p, 'c').ready, 90_000);
    const condition = again.status?.conditions?.find((x) => x.type === 'Ready');
    assert.deepEqual([condition?.status, condition?.reason, condition?.message], ['False', 'ContainersNotReady', 'containers with unready status: [c]']);
    const row = await podRow(server, 'readiness-exec');
    assert.deepEqual([row.READY, row.STATUS, row.RESTARTS], ['0/1', 'Running', '0']);
    await eventsInclude(server, 'readiness-exec', ["Warning Unhealthy: Readiness probe failed: cat: can't open '/tmp/ready': No such file or directory\n"]);
    await deletePod(server, 'readiness-exec');
  });

  test('a startup probe gates readiness until it passes; one that never passes kills the container', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('startup-slow', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', {
        command: ['sh', '-c', `(sleep 5; touch /tmp/started) & ${serve}`],
        startupProbe: { exec: { command: ['cat', '/tmp/started'] }, periodSeconds: 1, failureThreshold: 60, timeoutSeconds: 5 },
        readinessProbe: { exec: { command: ['true'] }, periodSeconds: 1, timeoutSeconds: 5 },
      })],
    }));
    await createPod(server, podWith('startup-never', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', { command: ['sh', '-c', serve], startupProbe: { exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 2, timeoutSeconds: 5 } })],
    }));
    const gated = await podWhere(server, 'startup-slow', 'running', (p) => statusOf(p, 'c').state?.running !== undefined);
    assert.deepEqual([statusOf(gated, 'c').started, statusOf(gated, 'c').ready], [false, false]);
    const started = await podWhere(server, 'startup-slow', 'started and ready', (p) => statusOf(p, 'c').ready);
    assert.equal(statusOf(started, 'c').started, true);
    const after = secondsBetween(statusOf(started, 'c').state?.running?.startedAt, started.status?.conditions?.find((x) => x.type === 'Ready')?.lastTransitionTime);
    assert.ok(after >= 4 && after <= 60, `ready ${after} s after the start, once the startup probe passed (file at 5 s)`);
    await eventsInclude(server, 'startup-slow', [/^Warning Unhealthy: Startup probe failed: cat: can't open '\/tmp\/started'/], 60_000);
    await podWhere(server, 'startup-never', 'restarted', (p) => statusOf(p, 'c').restartCount >= 1);
    await eventsInclude(server, 'startup-never', ['Warning Unhealthy: Startup probe failed: ', 'Normal Killing: Container c failed startup probe, will be restarted']);
    await deletePod(server, 'startup-slow');
    await deletePod(server, 'startup-never');
  });

  test('tcpSocket: a listening port is ready, a closed one fails with the dial error', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('tcp', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', {
        command: ['sh', '-c', `nc -ll -p 9000 -e /bin/true & ${serve}`],
        readinessProbe: { tcpSocket: { port: 9000 }, periodSeconds: 1 },
        livenessProbe: { tcpSocket: { port: 9999 }, periodSeconds: 2, failureThreshold: 100 },
      })],
    }));
    const ready = await podWhere(server, 'tcp', 'ready', (p) => statusOf(p, 'c').ready);
    await eventsInclude(server, 'tcp', [`Warning Unhealthy: Liveness probe failed: dial tcp ${ready.status?.podIP}:9999: connect: connection refused`]);
    await deletePod(server, 'tcp');
  });

  test('grpc: SERVING is ready; NOT_SERVING is unready with the kubelet\'s message', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('grpc', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', {
        command: ['sh', '-c', `${grpcHealthServer(9090, '/tmp/not-serving')} & (sleep 8; touch /tmp/not-serving) & ${serve}`],
        readinessProbe: { grpc: { port: 9090 }, periodSeconds: 1 },
      })],
    }));
    await podWhere(server, 'grpc', 'ready', (p) => statusOf(p, 'c').ready);
    await podWhere(server, 'grpc', 'unready', (p) => !statusOf(p, 'c').ready && statusOf(p, 'c').state?.running !== undefined);
    await eventsInclude(server, 'grpc', ['Warning Unhealthy: Readiness probe failed: service unhealthy (responded with "NOT_SERVING")']);
    await deletePod(server, 'grpc');
  });
});
