// The pods bound to this node (the kubelet's config source from the API server): an informer
// on spec.nodeName, indexed by UID, telling the agent which pod to sync. Updates that only touch
// status — mostly the agent's own writes — are not news to the pod worker.
import { isDeepStrictEqual } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { Informer } from '../../client/informer.ts';
import type { RestClient } from '../../client/rest.ts';

export class PodConfig {
  private readonly informer: Informer<Pod>;
  private readonly byUid = new Map<string, Pod>();

  constructor(client: RestClient, nodeName: string, onPod: (uid: string) => void) {
    this.informer = new Informer<Pod>(client, { version: 'v1', resource: 'pods' }, { fieldSelector: `spec.nodeName=${nodeName}` });
    const set = (pod: Pod): void => { this.byUid.set(uid(pod), pod); };
    this.informer.addEventHandler({
      add: (pod) => { set(pod); onPod(uid(pod)); },
      update: (old, pod) => {
        set(pod);
        if (!isDeepStrictEqual(intent(old), intent(pod))) onPod(uid(pod));
      },
      delete: (pod) => { this.byUid.delete(uid(pod)); onPod(uid(pod)); },
    });
  }

  async start(): Promise<void> {
    this.informer.start();
    await this.informer.waitForSync();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  get(podUid: string): Pod | undefined {
    return this.byUid.get(podUid);
  }

  /** The pod of that name bound here (the newest, should two UIDs overlap during a re-creation). */
  find(namespace: string, name: string): Pod | undefined {
    let found: Pod | undefined;
    for (const pod of this.byUid.values()) {
      if (pod.metadata?.namespace === namespace && pod.metadata?.name === name && (found === undefined || created(pod) >= created(found))) found = pod;
    }
    return found;
  }

  uids(): string[] {
    return [...this.byUid.keys()];
  }
}

function created(pod: Pod): string {
  return pod.metadata?.creationTimestamp ?? '';
}

function uid(pod: Pod): string {
  return pod.metadata?.uid ?? '';
}

/** What the pod worker acts on: the spec and the metadata that drive it (deletion, labels for the downward API). */
function intent(pod: Pod): unknown {
  const { resourceVersion: _rv, managedFields: _mf, ...metadata } = pod.metadata ?? {};
  return { metadata, spec: pod.spec };
}
