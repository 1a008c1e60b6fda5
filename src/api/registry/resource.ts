// What the API serves, per resource: the facts discovery, routing and the REST handlers share.

export interface SubresourceInfo {
  name: string;
  /** The kind the subresource returns, e.g. Pod for pods/status, Binding for pods/binding. */
  kind: string;
  /** Set when the kind lives in another group/version (deployments/scale → autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  verbs: string[];
}

export interface ResourceInfo {
  group: string;
  version: string;
  /** Plural, lower-case: "pods". */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: SubresourceInfo[];
}

export function groupVersion(info: { group: string; version: string }): string {
  return info.group ? `${info.group}/${info.version}` : info.version;
}
