// Turns a request path into what it addresses, as kube-apiserver's RequestInfoFactory does:
//   /api/v1/namespaces/NS/pods/NAME/status   → group "", version v1, namespace NS, pods, NAME, status
//   /apis/apps/v1/deployments                 → all-namespaces (or cluster-scoped) collection
//   /api/v1/namespaces/NS                     → the namespace object itself; status/finalize are its subresources
export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequest {
  group: string;
  version: string;
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  verb: Verb;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/** undefined when the path is not a resource path (discovery, openapi, health, unknown). */
export function parseResourcePath(method: string, path: string, query: URLSearchParams): ResourceRequest | undefined {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group = '';
  let version: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 2 && !namespaceSubresources.has(rest[2])) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return undefined;
  const [resource, name = '', subresource = ''] = rest;
  if (resource === 'namespaces' && name) namespace = name;
  const verb = verbFor(method, Boolean(name), query.get('watch'));
  return verb ? { group, version, namespace, resource, name, subresource, verb } : undefined;
}

function verbFor(method: string, named: boolean, watch: string | null): Verb | undefined {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (watch === 'true' || watch === '1') return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
