// The service account controller: every active namespace has a ServiceAccount named "default",
// recreated if someone deletes it, as Kubernetes' controller keeps it.
import type { Namespace, ServiceAccount } from 'kubernetes-types/core/v1.d.ts';
import { Informer } from '../../client/informer.ts';
import { isAlreadyExists, isNotFound } from '../../client/errors.ts';
import { resourcePath } from '../../client/paths.ts';
import type { RestClient } from '../../client/rest.ts';
import { WorkQueue } from '../../client/workqueue.ts';
import { processQueue } from '../../client/worker.ts';

const defaultName = 'default';

export class ServiceAccountController {
  private readonly client: RestClient;
  private readonly namespaces: Informer<Namespace>;
  private readonly accounts: Informer<ServiceAccount>;
  private readonly queue = new WorkQueue<string>();

  constructor(client: RestClient) {
    this.client = client;
    this.namespaces = new Informer<Namespace>(client, { version: 'v1', resource: 'namespaces' });
    this.accounts = new Informer<ServiceAccount>(client, { version: 'v1', resource: 'serviceaccounts' }, { fieldSelector: `metadata.name=${defaultName}` });
    this.namespaces.addEventHandler({ add: (ns) => this.enqueue(ns.metadata?.name), update: (_o, ns) => this.enqueue(ns.metadata?.name) });
    this.accounts.addEventHandler({ delete: (sa) => this.enqueue(sa.metadata?.namespace) });
  }

  async start(): Promise<void> {
    this.namespaces.start();
    this.accounts.start();
    await Promise.all([this.namespaces.waitForSync(), this.accounts.waitForSync()]);
    void processQueue(this.queue, 'serviceaccount controller', (namespace) => this.sync(namespace));
  }

  async stop(): Promise<void> {
    this.queue.shutDown();
    await Promise.all([this.namespaces.stop(), this.accounts.stop()]);
  }

  private enqueue(namespace: string | undefined): void {
    if (namespace) this.queue.add(namespace);
  }

  private async sync(namespace: string): Promise<void> {
    const ns = this.namespaces.get(namespace);
    if (!ns || ns.metadata?.deletionTimestamp || this.accounts.get(`${namespace}/${defaultName}`)) return;
    const account: ServiceAccount = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: defaultName, namespace } };
    try {
      await this.client.create(resourcePath({ version: 'v1', resource: 'serviceaccounts', namespace }), account);
    } catch (err) {
      // Already there, or the namespace went away meanwhile.
      if (!isAlreadyExists(err) && !isNotFound(err)) throw err;
    }
  }
}
