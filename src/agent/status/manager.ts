// The status manager: writes a pod's status only when it differs from what the API server holds
// (or what was last sent, while the informer has not caught up), and confirms a terminating
// pod's deletion once its containers are gone, as the kubelet's status manager does.
import { isDeepStrictEqual } from 'node:util';
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.d.ts';
import { isConflict, isNotFound } from '../../client/errors.ts';
import { resourcePath } from '../../client/paths.ts';
import type { RestClient } from '../../client/rest.ts';

export class StatusManager {
  private readonly client: RestClient;
  private readonly sent = new Map<string, PodStatus>();

  constructor(client: RestClient) {
    this.client = client;
  }

  /** PATCHes pods/status when status changed; returns whether a write happened. */
  async setStatus(pod: Pod, status: PodStatus): Promise<boolean> {
    const uid = pod.metadata?.uid ?? '';
    if (isDeepStrictEqual(pod.status ?? {}, status) || isDeepStrictEqual(this.sent.get(uid), status)) return false;
    try {
      await this.client.patch(podPath(pod, 'status'), { status }, 'merge');
      this.sent.set(uid, status);
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw new Error(`status of pod ${pod.metadata?.namespace}/${pod.metadata?.name}: ${(err as Error).message}`, { cause: err });
    }
  }

  /** Deletes the pod with grace 0 once the agent has stopped and cleaned up all of it. */
  async confirmDeletion(pod: Pod): Promise<void> {
    try {
      await this.client.delete(podPath(pod), { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (err) {
      // Gone already, or a new pod took the name: either way ours is gone.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
    this.forget(pod.metadata?.uid ?? '');
  }

  forget(uid: string): void {
    this.sent.delete(uid);
  }
}

function podPath(pod: Pod, subresource?: string): string {
  return resourcePath({ version: 'v1', resource: 'pods', namespace: pod.metadata?.namespace, name: pod.metadata?.name, subresource });
}
