// PodSandboxConfig of a pod, as the kubelet's generatePodSandboxConfig makes it:
//
//   metadata      name, namespace, uid, attempt
//   hostname      spec.hostname | pod name (≤63 chars), FQDN with setHostnameAsFQDN;
//                 the node's hostname with hostNetwork
//   namespaces    hostNetwork → network node, hostIPC → ipc node,
//                 hostPID → pid node, shareProcessNamespace → pid pod, else pid container
//   dnsConfig     dnsPolicy + spec.dnsConfig over the node's resolv.conf (dns.ts)
//   cgroupParent  the pod's cgroup, made by the caller (cgroups/pod_container_manager.ts)
//   labels        the pod's labels + io.kubernetes.pod.{name,namespace,uid}
//   annotations   the pod's annotations
import { hostname as osHostname } from 'node:os';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { NamespaceOptions, PodSandboxConfig } from '../runtime/runtime.ts';
import { podDnsConfig, type PodDnsResult } from './dns.ts';
import { kernelHostname, podHostnameAndDomain } from './hostname.ts';
import { podAnnotations, podLabels } from './labels.ts';

export interface PodSandboxConfigOptions {
  /** Absolute directory of the pod's container logs. */
  logDirectory: string;
  attempt: number;
  /** The pod's cgroup, made beforehand (the kubelet's GetPodCgroupParent). */
  cgroupParent?: string;
  /** Text of the node's /etc/resolv.conf. */
  nodeResolvConf: string;
  clusterDomain?: string;
  clusterDns?: string[];
  /** The node's hostname, used with hostNetwork; defaults to this machine's. */
  nodeHostname?: string;
  /** Receives what the kubelet reports as Warning events (DNSConfigForming, MissingClusterDNS). */
  onWarning?: (warning: PodDnsResult['warnings'][number]) => void;
}

export function podSandboxConfig(pod: Pod, options: PodSandboxConfigOptions): PodSandboxConfig {
  const dns = podDnsConfig(pod, options.nodeResolvConf, { clusterDns: options.clusterDns, clusterDomain: options.clusterDomain });
  for (const warning of dns.warnings) options.onWarning?.(warning);
  return {
    metadata: {
      name: pod.metadata?.name ?? '',
      namespace: pod.metadata?.namespace ?? '',
      uid: pod.metadata?.uid ?? '',
      attempt: options.attempt,
    },
    hostname: sandboxHostname(pod, options),
    namespaceOptions: namespaceOptions(pod),
    dnsConfig: dns.dnsConfig,
    logDirectory: options.logDirectory,
    ...(options.cgroupParent === undefined ? {} : { cgroupParent: options.cgroupParent }),
    labels: podLabels(pod),
    annotations: podAnnotations(pod),
  };
}

export function namespaceOptions(pod: Pod): Required<NamespaceOptions> {
  const spec = pod.spec;
  return {
    network: spec?.hostNetwork === true ? 'node' : 'pod',
    ipc: spec?.hostIPC === true ? 'node' : 'pod',
    pid: spec?.hostPID === true ? 'node' : spec?.shareProcessNamespace === true ? 'pod' : 'container',
  };
}

// A host-network pod shares the node's UTS namespace in the kubelet's CRI runtimes, so it
// sees the node's name; the hostname fields of its spec are still validated.
function sandboxHostname(pod: Pod, options: PodSandboxConfigOptions): string {
  const name = podHostnameAndDomain(pod, options.clusterDomain);
  if (pod.spec?.hostNetwork === true) return options.nodeHostname ?? osHostname();
  return kernelHostname(name, pod.spec?.setHostnameAsFQDN);
}
