// The fields each kind can be selected by: the labels kube-apiserver's field label conversion
// accepts, and the values its registry strategies expose (ToSelectableFields).
import type { Event, Namespace, Node, Pod, Secret } from 'kubernetes-types/core/v1.d.ts';
import type { ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import type { KubeObject } from '../registry/object.ts';

export type FieldGetter = (obj: KubeObject) => string | undefined;

export interface KindFields {
  /** False when the kind registers its own conversion, whose error differs from the default one. */
  readonly defaultConversion: boolean;
  readonly getters: ReadonlyMap<string, FieldGetter>;
}

const name: FieldGetter = (o) => o.metadata?.name;
const namespace: FieldGetter = (o) => o.metadata?.namespace;

function kind<T>(getters: Record<string, (obj: T) => string | undefined>, meta: { namespaced: boolean }): KindFields {
  const all = new Map<string, FieldGetter>([['metadata.name', name]]);
  if (meta.namespaced) all.set('metadata.namespace', namespace);
  for (const [label, get] of Object.entries(getters)) all.set(label, get as unknown as FieldGetter);
  return { defaultConversion: false, getters: all };
}

const pod = kind<Pod>({
  'spec.nodeName': (p) => p.spec?.nodeName,
  'spec.restartPolicy': (p) => p.spec?.restartPolicy,
  'spec.schedulerName': (p) => p.spec?.schedulerName,
  'spec.serviceAccountName': (p) => p.spec?.serviceAccountName,
  'spec.hostNetwork': (p) => String(p.spec?.hostNetwork ?? false),
  'status.phase': (p) => p.status?.phase,
  'status.podIP': (p) => p.status?.podIPs?.[0]?.ip,
  // Accepted by the conversion but not exposed by the strategy: it always compares with "".
  'status.podIPs': () => undefined,
  'status.nominatedNodeName': (p) => p.status?.nominatedNodeName,
}, { namespaced: true });

const event = kind<Event>({
  'involvedObject.kind': (e) => e.involvedObject?.kind,
  'involvedObject.namespace': (e) => e.involvedObject?.namespace,
  'involvedObject.name': (e) => e.involvedObject?.name,
  'involvedObject.uid': (e) => e.involvedObject?.uid,
  'involvedObject.apiVersion': (e) => e.involvedObject?.apiVersion,
  'involvedObject.resourceVersion': (e) => e.involvedObject?.resourceVersion,
  'involvedObject.fieldPath': (e) => e.involvedObject?.fieldPath,
  reason: (e) => e.reason,
  reportingComponent: (e) => e.reportingComponent,
  source: (e) => e.source?.component || e.reportingComponent,
  type: (e) => e.type,
}, { namespaced: true });

const node = kind<Node>({ 'spec.unschedulable': (n) => String(n.spec?.unschedulable ?? false) }, { namespaced: false });
const namespaceKind = kind<Namespace>({ 'status.phase': (n) => n.status?.phase }, { namespaced: false });
const secret = kind<Secret>({ type: (s) => s.type }, { namespaced: true });
const replicaSet = kind<ReplicaSet>({ 'status.replicas': (r) => String(r.status?.replicas ?? 0) }, { namespaced: true });

const byKind: Readonly<Record<string, KindFields>> = {
  Pod: pod,
  Event: event,
  Node: node,
  Namespace: namespaceKind,
  Secret: secret,
  ReplicaSet: replicaSet,
};

/** Kinds without a conversion of their own get runtime.DefaultMetaV1FieldSelectorConversion. */
const metadataOnly: KindFields = {
  defaultConversion: true,
  getters: new Map([['metadata.name', name], ['metadata.namespace', namespace]]),
};

export function kindFields(kindName: string): KindFields {
  return Object.hasOwn(byKind, kindName) ? byKind[kindName] : metadataOnly;
}
