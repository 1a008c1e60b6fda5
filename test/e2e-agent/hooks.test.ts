// Lifecycle hooks on a real node through kubectl 1.32: postStart exec runs in the container as it
// starts; a failing postStart (exec or httpGet) is FailedPostStartHook with the kubelet's message,
// the container killed and restarted by policy; preStop httpGet (to the pod IP) and sleep run
// before the stop signal, within the grace period.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { eventually } from '../support/wait.ts';
import { agentServer, nodeDir, statusOf, uptime } from './lifecycle-helpers.ts';
import { busybox, createPod, deletePod, eventLines, eventsInclude, kubectlOk, podEvents, podWith } from './pod-helpers.ts';
import { getPod } from './support.ts';

const timeout = 120_000;
const serve = 'trap "exit 0" TERM; sleep 3600 & wait';

describe('lifecycle hooks on a real node', { concurrency: true }, () => {
  const agent = agentServer();

  test('postStart exec runs in the container: what it writes is there for the app', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('post-start', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', {
        command: ['sh', '-c', `until [ -e /tmp/hook ]; do sleep 0.1; done; cat /tmp/hook; ${serve}`],
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo "written by postStart in $(hostname)" > /tmp/hook'] } } },
      })],
    }));
    const logs = await eventually('the hook\'s line in the logs', async () => {
      const text = await kubectlOk(server, ['logs', 'post-start']);
      return text === '' ? undefined : text;
    }, 60_000, 250);
    assert.equal(logs, 'written by postStart in post-start\n');
    assert.equal(statusOf(await getPod(server, 'post-start'), 'c').restartCount, 0);
    await deletePod(server, 'post-start');
  });

  test('a failing postStart exec: FailedPostStartHook with the command\'s output, Killing, restarts', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('post-start-fail', {
      terminationGracePeriodSeconds: 1,
      containers: [busybox('c', { command: ['sh', '-c', serve], lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo boom >&2; exit 1'] } } } })],
    }));
    const uid = (await getPod(server, 'post-start-fail')).metadata?.uid;
    const message = `Exec lifecycle hook ([sh -c echo boom >&2; exit 1]) for Container "c" in Pod "post-start-fail_default(${uid})" failed - error: command 'sh -c echo boom >&2; exit 1' exited with 1: boom\n, message: "boom\\n"`;
    await eventsInclude(server, 'post-start-fail', [`Warning FailedPostStartHook: ${message}`, 'Normal Killing: FailedPostStartHook'], 60_000);
    const pod = await eventually('restarted after the failed hook', async () => {
      const p = await getPod(server, 'post-start-fail');
      return statusOf(p, 'c').restartCount >= 1 ? p : undefined;
    }, 60_000, 250);
    assert.ok(statusOf(pod, 'c').lastState?.terminated, 'the killed attempt is the last state');
    await deletePod(server, 'post-start-fail');
  });

  test('a postStart httpGet with nothing listening: the kubelet\'s HTTP hook message', { timeout }, async () => {
    const server = agent();
    await createPod(server, podWith('post-start-http', {
      restartPolicy: 'Never', terminationGracePeriodSeconds: 1,
      containers: [busybox('c', { command: ['sh', '-c', serve], lifecycle: { postStart: { httpGet: { path: '/hook', port: 9999 } } } })],
    }));
    const pod = await eventually('the pod IP', async () => {
      const p = await getPod(server, 'post-start-http');
      return p.status?.podIP ? p : undefined;
    }, 60_000, 250);
    const ip = pod.status?.podIP;
    const message = `HTTP lifecycle hook (/hook) for Container "c" in Pod "post-start-http_default(${pod.metadata?.uid})" failed - error: Get "http://${ip}:9999/hook": dial tcp ${ip}:9999: connect: connection refused`;
    await eventsInclude(server, 'post-start-http', [`Warning FailedPostStartHook: ${message}`, 'Normal Killing: FailedPostStartHook'], 60_000);
    await deletePod(server, 'post-start-http');
  });

  test('preStop httpGet to the pod and preStop sleep run before SIGTERM', { timeout }, async () => {
    const server = agent();
    const dir = await nodeDir();
    try {
      const note = (what: string) => `read up rest < /proc/uptime; echo "${what} $up" >> /out/log`;
      const cgi = `mkdir -p /www/cgi-bin; printf '%s\\n' '#!/bin/sh' '${note('preStopHttp')}' 'printf "Content-Type: text/plain\\r\\n\\r\\nok\\n"' > /www/cgi-bin/stop; chmod +x /www/cgi-bin/stop`;
      const manifest: Pod = podWith('pre-stop', {
        terminationGracePeriodSeconds: 60,
        volumes: [{ name: 'out', hostPath: { path: dir.path, type: 'Directory' } }],
        containers: [
          busybox('web', {
            volumeMounts: [{ name: 'out', mountPath: '/out' }],
            command: ['sh', '-c', `${cgi}; httpd -p 8080 -h /www; trap '${note('webTERM')}; exit 0' TERM; sleep 3600 & wait`],
            lifecycle: { preStop: { httpGet: { path: '/cgi-bin/stop', port: 8080 } } },
            // httpd daemonizes: ready means it answers, so the hook cannot race its start.
            readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
          }),
          busybox('sleeper', {
            volumeMounts: [{ name: 'out', mountPath: '/out' }],
            command: ['sh', '-c', `trap '${note('sleeperTERM')}; exit 0' TERM; sleep 3600 & wait`],
            lifecycle: { preStop: { sleep: { seconds: 3 } } },
          }),
        ],
      });
      await createPod(server, manifest);
      await eventually('both running, web ready', async () => {
        const statuses = (await getPod(server, 'pre-stop')).status?.containerStatuses ?? [];
        return (statuses.every((c) => c.state?.running) && statuses.find((c) => c.name === 'web')?.ready) || undefined;
      }, 60_000, 250);
      const at = await uptime();
      await kubectlOk(server, ['delete', 'pod', 'pre-stop']);
      const seen = Object.fromEntries((await dir.read('log')).map(([what, when]) => [what!, Number(when)]));
      const events = eventLines(await podEvents(server, 'pre-stop'));
      assert.ok(seen.preStopHttp! >= at - 0.5 && seen.webTERM! >= seen.preStopHttp!, `the HTTP hook, then SIGTERM: ${JSON.stringify(seen)}; events: ${events.join(' | ')}`);
      const slept = seen.sleeperTERM! - at;
      assert.ok(slept >= 2.9 && slept <= 30, `SIGTERM ${slept} s after the delete, after a 3 s sleep hook`);
    } finally {
      await dir.remove();
    }
  });
});
