// The admission checks kube-apiserver runs on every write, which peapod applies in one place:
// NamespaceLifecycle (no objects in a missing or terminating namespace).
import { errors } from '../errors.ts';
import type { Registry } from '../registry/registry.ts';

export async function admitNamespace(registry: Registry, namespace: string): Promise<void> {
  if (!namespace) return;
  const namespaces = registry.get('', 'namespaces');
  const ns = await namespaces.get('', namespace);
  if (ns.metadata?.deletionTimestamp) {
    throw errors.forbidden(`unable to create new content in namespace ${namespace} because it is being terminated`);
  }
}
