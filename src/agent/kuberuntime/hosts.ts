// /etc/hosts of a pod's containers, as the kubelet writes it (kubelet_pods.go):
// a managed file for pods on the pod network, the node's own file for host-network pods;
// both end with the pod's hostAliases. The caller writes it and mounts it at /etc/hosts
// unless a container mounts something there itself.
import type { HostAlias, Pod } from 'kubernetes-types/core/v1.d.ts';

const managedHeader = '# Kubernetes-managed hosts file.\n';
const hostNetworkHeader = '# Kubernetes-managed hosts file (host network).\n';

/** The kubelet mounts /etc/hosts once the pod has an IP, or always with hostNetwork. */
export function shouldMountHostsFile(pod: Pod, podIPs: string[]): boolean {
  return podIPs.length > 0 || pod.spec?.hostNetwork === true;
}

/** The managed file of a pod on the pod network: localhost entries, one line per pod IP, aliases. */
export function managedHostsFile(pod: Pod, podIPs: string[], hostname: string, domain = ''): string {
  let content = managedHeader +
    '127.0.0.1\tlocalhost\n' +
    '::1\tlocalhost ip6-localhost ip6-loopback\n' +
    'fe00::0\tip6-localnet\n' +
    'fe00::0\tip6-mcastprefix\n' +
    'fe00::1\tip6-allnodes\n' +
    'fe00::2\tip6-allrouters\n';
  for (const ip of podIPs) {
    content += domain !== '' ? `${ip}\t${hostname}.${domain}\t${hostname}\n` : `${ip}\t${hostname}\n`;
  }
  return content + hostAliasEntries(pod.spec?.hostAliases);
}

/** The file of a host-network pod: the node's /etc/hosts text, then the pod's aliases. */
export function hostNetworkHostsFile(pod: Pod, nodeHostsFile: string): string {
  return hostNetworkHeader + nodeHostsFile + hostAliasEntries(pod.spec?.hostAliases);
}

function hostAliasEntries(aliases: HostAlias[] | undefined): string {
  if (aliases === undefined || aliases.length === 0) return '';
  let content = '\n# Entries added by HostAliases.\n';
  for (const alias of aliases) content += `${alias.ip ?? ''}\t${(alias.hostnames ?? []).join('\t')}\n`;
  return content;
}
