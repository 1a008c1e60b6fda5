// A new Namespace: the kubernetes finalizer (the namespace controller empties it before it goes),
// phase Active, and the immutable kubernetes.io/metadata.name label.
import type { Namespace } from 'kubernetes-types/core/v1.d.ts';
import type { Writable } from '../registry/object.ts';

export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export function defaultNamespace(ns: Namespace): void {
  const finalizers = ns.spec?.finalizers ?? [];
  ns.spec = { ...ns.spec, finalizers: finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'] };
  (ns as Writable<Namespace>).status = { phase: 'Active' };
  defaultNamespaceLabel(ns);
}

/** SetDefaults_Namespace runs on every write: the label always carries the name. */
export function defaultNamespaceLabel(ns: Namespace): void {
  const name = ns.metadata?.name;
  if (!name) return;
  ns.metadata!.labels = { ...ns.metadata!.labels, [namespaceNameLabel]: name };
}
