// Which namespaces the infra process creates and which of them a container joins, from the
// pod's NamespaceOptions. A namespace left out of the list is the node's.
//
//   option            infra                  container
//   network pod       pinned net, new uts    joins net + uts (hostname = pod)
//   network node      (node's net + uts)     (node's net + uts: hostNetwork sees the node's hostname)
//   ipc pod/node      new ipc / node's       joins ipc / node's
//   pid container     new pid                new pid
//   pid pod           new pid (catatonit 1)  joins the infra's pid
//   pid node          (node's pid)           (node's pid)
import type { NamespaceOptions, PodSandboxConfig } from '../runtime.ts';
import type { OciNamespace } from './spec.ts';

export function withDefaults(options: NamespaceOptions | undefined): Required<NamespaceOptions> {
  return { network: options?.network ?? 'pod', ipc: options?.ipc ?? 'pod', pid: options?.pid ?? 'container' };
}

/** The infra process's namespaces: new ones, but the network one pinned ahead at netnsPath when given. */
export function sandboxNamespaces(options: Required<NamespaceOptions>, netnsPath?: string): OciNamespace[] {
  const list: OciNamespace[] = [];
  if (options.pid !== 'node') list.push({ type: 'pid' });
  if (options.network === 'pod') list.push(netnsPath === undefined ? { type: 'network' } : { type: 'network', path: netnsPath });
  if (options.ipc === 'pod') list.push({ type: 'ipc' });
  if (options.network === 'pod') list.push({ type: 'uts' });
  list.push({ type: 'mount' });
  return list;
}

/** A container's namespaces; the sandbox's are joined through /proc/INFRA_PID/ns. */
export function containerNamespaces(options: Required<NamespaceOptions>, infraPid: number): OciNamespace[] {
  const ns = (kind: string): string => `/proc/${infraPid}/ns/${kind}`;
  const list: OciNamespace[] = [];
  if (options.network === 'pod') list.push({ type: 'network', path: ns('net') });
  if (options.ipc === 'pod') list.push({ type: 'ipc', path: ns('ipc') });
  if (options.network === 'pod') list.push({ type: 'uts', path: ns('uts') });
  if (options.pid === 'container') list.push({ type: 'pid' });
  if (options.pid === 'pod') list.push({ type: 'pid', path: ns('pid') });
  list.push({ type: 'mount' });
  return list;
}

/** runc sets a hostname only in a UTS namespace of the container's own. */
export function ownsUts(options: Required<NamespaceOptions>): boolean {
  return options.network === 'pod';
}

/** The hostname the pod's containers see: the pod's, or the node's on the node's network. */
export function podHostname(config: PodSandboxConfig, nodeHostname: string): string {
  return ownsUts(withDefaults(config.namespaceOptions)) ? config.hostname ?? config.metadata.name : nodeHostname;
}
