// Every resource peapod serves, with the facts discovery and routing need.
import type { ResourceInfo, SubresourceInfo } from './resource.ts';

const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const statusSub = (kind: string): SubresourceInfo => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scaleSub: SubresourceInfo = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };

function resource(r: Partial<ResourceInfo> & Pick<ResourceInfo, 'resource' | 'singular' | 'kind'>): ResourceInfo {
  return {
    group: '',
    version: 'v1',
    listKind: `${r.kind}List`,
    namespaced: true,
    verbs: crud,
    shortNames: [],
    categories: [],
    subresources: [],
    ...r,
  };
}

export const catalog: readonly ResourceInfo[] = [
  resource({ resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: [statusSub('Namespace'), { name: 'finalize', kind: 'Namespace', verbs: ['update'] }] }),
  resource({ resource: 'pods', singular: 'pod', kind: 'Pod', shortNames: ['po'], categories: ['all'],
    subresources: [
      statusSub('Pod'),
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    ] }),
  resource({ resource: 'bindings', singular: 'binding', kind: 'Binding', verbs: ['create'] }),
  resource({ resource: 'nodes', singular: 'node', kind: 'Node', namespaced: false, shortNames: ['no'],
    subresources: [statusSub('Node')] }),
  resource({ resource: 'events', singular: 'event', kind: 'Event', shortNames: ['ev'] }),
  resource({ resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', shortNames: ['cm'] }),
  resource({ resource: 'secrets', singular: 'secret', kind: 'Secret' }),
  resource({ resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', shortNames: ['sa'] }),
  resource({ resource: 'services', singular: 'service', kind: 'Service', shortNames: ['svc'], categories: ['all'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], subresources: [statusSub('Service')] }),
  resource({ group: 'coordination.k8s.io', resource: 'leases', singular: 'lease', kind: 'Lease' }),
  resource({ group: 'apps', resource: 'deployments', singular: 'deployment', kind: 'Deployment', shortNames: ['deploy'],
    categories: ['all'], subresources: [statusSub('Deployment'), scaleSub] }),
  resource({ group: 'apps', resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', shortNames: ['rs'],
    categories: ['all'], subresources: [statusSub('ReplicaSet'), scaleSub] }),
];

/** Group/versions in the order discovery lists them (core first). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of catalog) seen.set(`${r.group}/${r.version}`, { group: r.group, version: r.version });
  return [...seen.values()];
}

export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return catalog.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function findKind(group: string, kind: string): ResourceInfo | undefined {
  return catalog.find((r) => r.group === group && r.kind === kind);
}
