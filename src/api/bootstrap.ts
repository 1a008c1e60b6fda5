// Objects a cluster has from its first start: the four system namespaces. (Their "default"
// ServiceAccounts come from the service account controller, as in Kubernetes.)
import type { Registry } from './registry/registry.ts';

export const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function bootstrap(registry: Registry): Promise<void> {
  const namespaces = registry.get('', 'namespaces');
  for (const name of systemNamespaces) {
    await ensure(() => namespaces.create('', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }));
  }
}

async function ensure(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (err) {
    if ((err as { reason?: string }).reason !== 'AlreadyExists') throw err;
  }
}
