// Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1, same shape): every group, version,
// resource and subresource in one APIGroupDiscoveryList, so kubectl needs one request for /api
// and one for /apis instead of one per group/version. client-go drops any resource or
// subresource without responseKind, and reads scope as Namespaced or (anything else) Cluster.
import type { ObjectMeta } from 'kubernetes-types/meta/v1.d.ts';
import type { ResourceInfo, SubresourceInfo } from '../registry/resource.ts';
import { namedGroups, resourcesOf, subresourcesOf, versionsOf } from './legacy.ts';

export type AggregatedVersion = 'v2' | 'v2beta1';

interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKind;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKind;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: ObjectMeta;
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

/** /api lists the core group alone (name ""); /apis every named group. */
export function aggregatedDiscovery(root: 'api' | 'apis', version: AggregatedVersion): APIGroupDiscoveryList {
  const groups = root === 'api' ? [''] : namedGroups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map(describeGroup),
  };
}

function describeGroup(group: string): APIGroupDiscovery {
  return {
    metadata: { name: group },
    versions: versionsOf(group).map((version) => ({
      version,
      resources: resourcesOf(group, version).map(describeResource),
      freshness: 'Current',
    })),
  };
}

function describeResource(info: ResourceInfo): APIResourceDiscovery {
  const entry: APIResourceDiscovery = {
    resource: info.resource,
    responseKind: { group: info.group, version: info.version, kind: info.kind },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: info.verbs,
  };
  if (info.shortNames.length > 0) entry.shortNames = info.shortNames;
  if (info.categories.length > 0) entry.categories = info.categories;
  if (info.subresources.length > 0) {
    entry.subresources = subresourcesOf(info).map((sub) => describeSubresource(info, sub));
  }
  return entry;
}

function describeSubresource(info: ResourceInfo, sub: SubresourceInfo): APISubresourceDiscovery {
  return {
    subresource: sub.name,
    responseKind: { group: sub.group ?? info.group, version: sub.version ?? info.version, kind: sub.kind },
    verbs: sub.verbs,
  };
}
