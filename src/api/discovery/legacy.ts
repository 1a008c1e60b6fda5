// Legacy (unaggregated) discovery documents, built from the catalog: /api → APIVersions,
// /apis → APIGroupList, /apis/<group> → APIGroup, /api/v1 and /apis/<group>/<version> →
// APIResourceList with one entry per resource and one per subresource ("pods/log").
import type { APIGroup, APIGroupList, APIResource, APIResourceList, APIVersions, GroupVersionForDiscovery } from 'kubernetes-types/meta/v1.d.ts';
import { catalog, groupVersions } from '../registry/catalog.ts';
import { groupVersion, type ResourceInfo, type SubresourceInfo } from '../registry/resource.ts';

export function apiVersions(serverAddress: string | undefined): APIVersions {
  return {
    kind: 'APIVersions',
    versions: versionsOf(''),
    serverAddressByClientCIDRs: serverAddress ? [{ clientCIDR: '0.0.0.0/0', serverAddress }] : [],
  };
}

export function apiGroupList(): APIGroupList {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: namedGroups().map(describeGroup) };
}

export function apiGroup(group: string): APIGroup | undefined {
  if (group === '' || versionsOf(group).length === 0) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...describeGroup(group) };
}

export function apiResourceList(group: string, version: string): APIResourceList | undefined {
  const resources = resourcesOf(group, version);
  if (resources.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: resources.flatMap(resourceEntries),
  };
}

/** Named API groups (not the core group), in catalog order. */
export function namedGroups(): string[] {
  return [...new Set(groupVersions().map((gv) => gv.group).filter((g) => g !== ''))];
}

/** A group's versions, preferred first. */
export function versionsOf(group: string): string[] {
  return groupVersions().filter((gv) => gv.group === group).map((gv) => gv.version);
}

/** Resources of one group/version sorted by name, as kube-apiserver lists them. */
export function resourcesOf(group: string, version: string): ResourceInfo[] {
  return catalog.filter((r) => r.group === group && r.version === version)
    .sort((a, b) => a.resource.localeCompare(b.resource));
}

/** A resource's subresources sorted by name. */
export function subresourcesOf(info: ResourceInfo): SubresourceInfo[] {
  return [...info.subresources].sort((a, b) => a.name.localeCompare(b.name));
}

function describeGroup(group: string): APIGroup {
  const versions: GroupVersionForDiscovery[] = versionsOf(group).map((version) => ({ groupVersion: groupVersion({ group, version }), version }));
  return { name: group, versions, preferredVersion: versions[0] };
}

function resourceEntries(info: ResourceInfo): APIResource[] {
  const main: APIResource = {
    name: info.resource,
    singularName: info.singular,
    namespaced: info.namespaced,
    kind: info.kind,
    verbs: info.verbs,
  };
  if (info.shortNames.length > 0) main.shortNames = info.shortNames;
  if (info.categories.length > 0) main.categories = info.categories;
  const subs = subresourcesOf(info).map((sub): APIResource => {
    const entry: APIResource = { name: `${info.resource}/${sub.name}`, singularName: '', namespaced: info.namespaced, kind: sub.kind, verbs: sub.verbs };
    if (sub.group !== undefined) entry.group = sub.group;
    if (sub.version !== undefined) entry.version = sub.version;
    return entry;
  });
  return [main, ...subs];
}
