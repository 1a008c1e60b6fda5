// pods/exec, pods/attach and pods/portforward: kube-apiserver's ExecREST, AttachREST and
// PortForwardREST. The pod, the container and the node are checked here, with kube's messages,
// before anything is upgraded; then the upgrade is proxied to the node agent's /exec, /attach or
// /portForward (proxy/upgrade.ts) with the options in the kubelet's query names.
//
//   upgrade ─▶ verb (create/get) ─▶ pod ─▶ container (default: the only one) ─▶ node assigned?
//           ─▶ node address ─▶ proxy ─▶ the agent answers (101, or its error)
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { errors } from '../errors.ts';
import type { ResourceRequest } from '../http/requestinfo.ts';
import type { Registry } from '../registry/registry.ts';
import { proxyUpgrade } from '../proxy/upgrade.ts';
import { kubeletHost, type KubeletClientConfig } from './kubelet.ts';
import { validateContainer } from './log.ts';

export const streamSubresources = new Set(['exec', 'attach', 'portforward']);

export interface StreamRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
  request: ResourceRequest;
  query: URLSearchParams;
  registry: Registry;
  kubelet: KubeletClientConfig;
}

export async function podStream(s: StreamRequest): Promise<void> {
  const { request, query } = s;
  if (request.verb !== 'get' && request.verb !== 'create') throw errors.methodNotAllowed();
  const pod = (await s.registry.get('', 'pods').get(request.namespace, request.name)) as Pod;
  const nodeName = pod.spec?.nodeName;
  let path: string[];
  let agentQuery: URLSearchParams;
  if (request.subresource === 'portforward') {
    path = ['portForward', request.namespace, request.name];
    agentQuery = portForwardQuery(query);
  } else {
    const container = validateContainer(query.get('container') ?? '', pod);
    path = [request.subresource, request.namespace, request.name, container];
    agentQuery = commandQuery(query, request.subresource === 'exec');
  }
  if (!nodeName) throw errors.badRequest(`pod ${request.name} does not have a host assigned`);
  const node = (await s.registry.get('', 'nodes').get('', nodeName)) as Node;
  const url = new URL(`https://${kubeletHost(node)}`);
  url.pathname = path.map(encodeURIComponent).join('/');
  url.search = agentQuery.toString();
  await proxyUpgrade(s.req, s.socket, s.head, { url, kubelet: s.kubelet });
}

// Only absence, "false" and "0" are false (the query's bool conversion).
function isTrue(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value !== null && !['false', '0'].includes(value.toLowerCase());
}

/** PodExecOptions / PodAttachOptions → the kubelet's names (streamParams in kube's pod strategy). */
function commandQuery(query: URLSearchParams, exec: boolean): URLSearchParams {
  const params = new URLSearchParams();
  if (exec) for (const word of query.getAll('command')) params.append('command', word);
  if (isTrue(query, 'stdin')) params.set('input', '1');
  if (isTrue(query, 'stdout')) params.set('output', '1');
  if (isTrue(query, 'stderr')) params.set('error', '1');
  if (isTrue(query, 'tty')) params.set('tty', '1');
  return params;
}

function portForwardQuery(query: URLSearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const port of query.getAll('ports')) params.append('port', port);
  return params;
}
