// REST paths the way the API server lays them out: the core group under /api/v1, every other
// group under /apis/<group>/<version>; namespaced resources nest under /namespaces/<ns>.

export interface ResourceRef {
  /** API group; "" or absent for the core group. */
  group?: string;
  version: string;
  /** Plural resource name, e.g. "pods", "deployments". */
  resource: string;
  /** Absent for cluster-scoped resources and for lists across all namespaces. */
  namespace?: string;
  name?: string;
  /** e.g. "status", "binding", "scale"; requires name. */
  subresource?: string;
}

/** /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, … */
export function resourcePath(ref: ResourceRef): string {
  if (ref.subresource && !ref.name) {
    throw new Error(`resource path for ${ref.resource}: subresource "${ref.subresource}" needs a name`);
  }
  const parts = [ref.group ? `/apis/${segment(ref.group)}/${segment(ref.version)}` : `/api/${segment(ref.version)}`];
  if (ref.namespace) parts.push('namespaces', segment(ref.namespace));
  parts.push(segment(ref.resource));
  if (ref.name) parts.push(segment(ref.name));
  if (ref.subresource) parts.push(segment(ref.subresource));
  return parts.join('/');
}

function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') throw new Error(`invalid path segment ${JSON.stringify(value)}`);
  return encodeURIComponent(value);
}
