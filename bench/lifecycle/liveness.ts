// From a liveness failure to the restarted container running. The probe is an httpGet to a server
// of the benchmark's own on the node (host 127.0.0.1), so the failure is an instant the benchmark
// knows: the first request it answers 500. It answers 200 again to the next container. Each
// sample is a fresh pod, as a pod's second liveness kill within the crash back-off waits it out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { resourcePath } from '../../src/client/paths.ts';
import type { RestClient } from '../../src/client/rest.ts';
import { summarize, type Summary } from '../api/stats.ts';
import { deleted, PodEvents, runningAndReady } from '../podstartup/startup.ts';

const podsPath = resourcePath({ version: 'v1', resource: 'pods', namespace: 'default' });

export interface LivenessResult {
  /** Liveness failure (the 500 answered) → watch event of the new container running. */
  restart: Summary;
}

/** An HTTP server that answers 200, or 500 to the first request after fail() was called. */
class HealthServer {
  private readonly server: Server;
  private failing: ((at: number) => void) | undefined;

  constructor() {
    this.server = createServer((_req, res) => {
      const fail = this.failing;
      this.failing = undefined;
      res.writeHead(fail ? 500 : 200).end();
      fail?.(performance.now());
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((ready) => this.server.listen(0, '127.0.0.1', ready));
    return (this.server.address() as AddressInfo).port;
  }

  /** Resolves with the time the failing answer went out. */
  fail(): Promise<number> {
    return new Promise((done) => { this.failing = done; });
  }

  close(): void {
    this.server.close();
  }
}

function livenessPod(name: string, port: number): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'lifecycle' } },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: [{
        name: 'c', image: 'busybox:1.36', command: ['sh', '-c', 'trap "exit 0" TERM; sleep 3600 & wait'],
        livenessProbe: { httpGet: { host: '127.0.0.1', port, path: '/healthz' }, periodSeconds: 1, failureThreshold: 1 },
      }],
    },
  };
}

const restarted = (_type: string, pod: Pod) => {
  const c = pod.status?.containerStatuses?.[0];
  return (c?.restartCount ?? 0) >= 1 && c?.state?.running !== undefined;
};

export async function measureLiveness(client: RestClient, count: number): Promise<LivenessResult> {
  const health = new HealthServer();
  const port = await health.listen();
  const events = new PodEvents();
  await events.start(client);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `liveness-${i}`;
      const ready = events.when(name, runningAndReady);
      await client.create(podsPath, livenessPod(name, port));
      await ready;
      const running = events.when(name, restarted);
      const failedAt = await health.fail();
      samples.push((await running) - failedAt);
      const gone = events.when(name, deleted);
      await client.delete(`${podsPath}/${name}`);
      await gone;
    }
  } finally {
    events.stop();
    health.close();
  }
  return { restart: summarize(samples) };
}
