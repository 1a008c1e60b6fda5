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
  private running = false;

  constructor(client: RestClient) {
    this.client = client;
    this.namespaces = new Informer<Namespace>(client, { version: 'v1', resource: 'namespaces' });
    const enqueue = (ns: Namespace) => {
      if (ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name ?? '');
    };
    this.namespaces.addEventHandler({ add: enqueue, update: (_old, ns) => enqueue(ns) });
  }

  async start(): Promise<void> {
    this.running = true;
    this.namespaces.start();
    await this.namespaces.waitForSync();
    void this.work();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.queue.shutDown();
    await this.namespaces.stop();
  }

  private async work(): Promise<void> {
    while (this.running) {
      const name = await this.queue.get();
      if (name === undefined) return;
      try {
        if (await this.sync(name)) this.queue.forget(name);
        else this.queue.addAfter(name, recheckMs);
      } catch (err) {
        console.error(`namespace controller: ${name}: ${(err as Error).message}`);
        this.queue.addRateLimited(name);
      } finally {
        this.queue.done(name);
      }
    }
  }

  /** true when the namespace is finished with (gone or not being deleted). */
  private async sync(name: string): Promise<boolean> {
    const ns = this.namespaces.get(name);
    if (!ns?.metadata?.deletionTimestamp || !ns.spec?.finalizers?.includes(finalizer)) return true;
    let remaining = 0;
    for (const ref of contents) {
      const path = resourcePath({ ...ref, namespace: name });
      await this.client.delete(path, {});
      remaining += (await this.client.list(path, { limit: 1 })).items.length;
    }
    if (remaining > 0) return false;
    const finalized = { ...ns, spec: { ...ns.spec, finalizers: ns.spec.finalizers.filter((f) => f !== finalizer) } };
    try {
      await this.client.update(resourcePath({ version: 'v1', resource: 'namespaces', name, subresource: 'finalize' }), finalized);
    } catch (err) {
      if (isNotFound(err)) return true;
      if (isConflict(err)) return false;
      throw err;
    }
    return true;
  }
}
