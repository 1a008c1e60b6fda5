// The namespace controller: a deleted namespace (Terminating, held by the "kubernetes" finalizer)
// is emptied of every namespaced object; once nothing is left the finalizer goes and the
// namespace with it. Pods on nodes leave only when their node confirms, so it waits for them.
//
//   namespace deletionTimestamp ─▶ deletecollection per resource ─▶ all empty? ─▶ PUT finalize
import type { Namespace } from 'kubernetes-types/core/v1.d.ts';
import { Informer } from '../../client/informer.ts';
import { isNotFound, isConflict } from '../../client/errors.ts';
import { resourcePath, type ResourceRef } from '../../client/paths.ts';
import type { RestClient } from '../../client/rest.ts';
import { WorkQueue } from '../../client/workqueue.ts';
import { processQueue, type SyncResult } from '../../client/worker.ts';
import { catalog } from '../../api/registry/catalog.ts';

const finalizer = 'kubernetes';
const recheckMs = 1_000;

/** Every namespaced resource that holds objects (bindings are only a verb). */
const contents: ResourceRef[] = catalog
  .filter((r) => r.namespaced && r.verbs.includes('deletecollection'))
  .map((r) => ({ group: r.group, version: r.version, resource: r.resource }));

export class NamespaceController {
  private readonly client: RestClient;
  private readonly namespaces: Informer<Namespace>;
  private readonly queue = new WorkQueue<string>();

  constructor(client: RestClient) {
    this.client = client;
    this.namespaces = new Informer<Namespace>(client, { version: 'v1', resource: 'namespaces' });
    const enqueue = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.namespaces.addEventHandler({ add: enqueue, update: (_old, ns) => enqueue(ns) });
  }

  async start(): Promise<void> {
    this.namespaces.start();
    await this.namespaces.waitForSync();
    void processQueue(this.queue, 'namespace controller', (name) => this.sync(name));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await this.namespaces.stop();
  }

  /** Asks for another look while objects remain in the namespace. */
  private async sync(name: string): Promise<SyncResult> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata?.deletionTimestamp || !ns.spec?.finalizers?.includes(finalizer)) return;
    let remaining = 0;
    for (const ref of contents) {
      const path = resourcePath({ ...ref, namespace: name });
      await this.client.delete(path, {});
      remaining += (await this.client.list(path, { limit: 1 })).items.length;
    }
    if (remaining > 0) return { requeueAfterMs: recheckMs };
    const finalized = { ...ns, spec: { ...ns.spec, finalizers: ns.spec.finalizers.filter((f) => f !== finalizer) } };
    try {
      await this.client.update(resourcePath({ version: 'v1', resource: 'namespaces', name, subresource: 'finalize' }), finalized);
    } catch (err) {
      if (isNotFound(err)) return;
      if (isConflict(err)) return { requeueAfterMs: recheckMs };
      throw err;
    }
  }
}
