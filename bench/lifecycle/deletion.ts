// From `DELETE` to the watch's DELETED event: a container that exits on SIGTERM (the grace period,
// 30 s, goes unused), and one that ignores it (SIGKILL once the pod's 2 s grace period is over).
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { resourcePath } from '../../src/client/paths.ts';
import type { RestClient } from '../../src/client/rest.ts';
import { summarize, type Summary } from '../api/stats.ts';
import { deleted, PodEvents, runningAndReady } from '../podstartup/startup.ts';

const podsPath = resourcePath({ version: 'v1', resource: 'pods', namespace: 'default' });

export type Reaction = 'exits on SIGTERM' | 'ignores SIGTERM';

export interface DeletionResult {
  reaction: Reaction;
  gracePeriodSeconds: number;
  deletion: Summary;
}

const commands: Record<Reaction, string> = {
  'exits on SIGTERM': 'trap "exit 0" TERM; sleep 3600 & wait',
  'ignores SIGTERM': "trap '' TERM; while :; do sleep 0.2; done",
};

function deletionPod(name: string, reaction: Reaction, gracePeriodSeconds: number): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { bench: 'lifecycle' } },
    spec: { terminationGracePeriodSeconds: gracePeriodSeconds, containers: [{ name: 'c', image: 'busybox:1.36', command: ['sh', '-c', commands[reaction]] }] },
  };
}

export async function measureDeletion(client: RestClient, reaction: Reaction, gracePeriodSeconds: number, count: number): Promise<DeletionResult> {
  const events = new PodEvents();
  await events.start(client);
  const samples: number[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `delete-${reaction.split(' ')[0]}-${i}`;
      const ready = events.when(name, runningAndReady);
      await client.create(podsPath, deletionPod(name, reaction, gracePeriodSeconds));
      await ready;
      const gone = events.when(name, deleted);
      const t0 = performance.now();
      await client.delete(`${podsPath}/${name}`);
      samples.push((await gone) - t0);
    }
  } finally {
    events.stop();
  }
  return { reaction, gracePeriodSeconds, deletion: summarize(samples) };
}
