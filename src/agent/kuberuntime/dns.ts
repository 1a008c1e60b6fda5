// The pod's resolv.conf, as the kubelet's DNS configurer (pkg/kubelet/network/dns) forms it:
//
//   dnsPolicy            base                                  then
//   ClusterFirst         cluster DNS servers, NS.svc.D svc.D D  spec.dnsConfig appended,
//     + hostNetwork      → Default                              duplicates dropped,
//     no cluster DNS     → Default (the kubelet warns)          options merged by name,
//   ClusterFirstWithHostNet  as ClusterFirst                    limits applied:
//   Default              the node's resolv.conf                  3 servers, 32 searches,
//   None                 nothing                                 2048 chars of search line
import type { Pod, PodDNSConfig } from 'kubernetes-types/core/v1.d.ts';
import type { DnsConfig } from '../runtime/runtime.ts';
import { PodSandboxConfigError } from './errors.ts';

export const maxDNSNameservers = 3;
export const maxDNSSearchPaths = 32;
export const maxDNSSearchListChars = 2048;
// Resolvers such as glibc 2.28 abort on a search path longer than a DNS subdomain.
const maxSearchPathLength = 253;
const clusterFirstOptions = ['ndots:5'];

export interface ClusterDnsSettings {
  /** Addresses of the cluster DNS service (kubelet --cluster-dns). */
  clusterDns?: string[];
  /** kubelet --cluster-domain, e.g. "cluster.local". */
  clusterDomain?: string;
}

/** What the kubelet would warn about in events (DNSConfigForming, MissingClusterDNS). */
export interface PodDnsResult {
  dnsConfig: DnsConfig;
  warnings: { reason: string; message: string }[];
}

/** Nameservers accumulate; the last search and options lines win; search dots are trimmed. */
export function parseResolvConf(text: string): DnsConfig {
  const config: DnsConfig = { servers: [], searches: [], options: [] };
  let emptyNameserver = false;
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) continue;
    if (fields[0] === 'nameserver') {
      if (fields.length >= 2) config.servers.push(fields[1]!);
      else emptyNameserver = true;
    }
    if (fields[0] === 'search') config.searches = fields.slice(1).map((s) => s.replace(/\.$/, ''));
    if (fields[0] === 'options') config.options = fields.slice(1);
  }
  if (emptyNameserver) throw new PodSandboxConfigError('nameserver list is empty ');
  return config;
}

export function podDnsConfig(pod: Pod, nodeResolvConf: string, settings: ClusterDnsSettings = {}): PodDnsResult {
  const warnings: PodDnsResult['warnings'] = [];
  let config = parseResolvConf(nodeResolvConf);
  const policy = dnsType(pod);
  if (policy === 'none') config = { servers: [], searches: [], options: [] };
  if (policy === 'cluster') {
    const clusterDns = settings.clusterDns ?? [];
    if (clusterDns.length > 0) {
      config = {
        servers: [...clusterDns],
        searches: clusterSearches(config.searches, pod, settings.clusterDomain ?? ''),
        options: [...clusterFirstOptions],
      };
    } else {
      warnings.push({
        reason: 'MissingClusterDNS',
        message: 'kubelet does not have ClusterDNS IP configured and cannot create Pod using "ClusterFirst" policy. Falling back to "Default" policy.',
      });
    }
  }
  if (pod.spec?.dnsConfig !== undefined) config = appendDnsConfig(config, pod.spec.dnsConfig);
  return { dnsConfig: fitLimits(config, warnings), warnings };
}

function dnsType(pod: Pod): 'cluster' | 'host' | 'none' {
  switch (pod.spec?.dnsPolicy ?? 'ClusterFirst') {
    case 'None':
      return 'none';
    case 'ClusterFirstWithHostNet':
      return 'cluster';
    case 'Default':
      return 'host';
    case 'ClusterFirst':
      return pod.spec?.hostNetwork === true ? 'host' : 'cluster';
    default:
      // The API server rejects other policies; the kubelet falls back to ClusterFirst.
      return 'cluster';
  }
}

function clusterSearches(hostSearches: string[], pod: Pod, clusterDomain: string): string[] {
  if (clusterDomain === '') return hostSearches;
  const namespace = pod.metadata?.namespace ?? '';
  return unique([`${namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain, ...hostSearches]);
}

function appendDnsConfig(config: DnsConfig, extra: PodDNSConfig): DnsConfig {
  return {
    servers: unique([...config.servers, ...(extra.nameservers ?? [])]),
    searches: unique([...config.searches, ...(extra.searches ?? [])]),
    options: mergeOptions(config.options, extra.options ?? []),
  };
}

// Options are keyed by name; the pod's value replaces the node's ("ndots:2" over "ndots:5").
// The kubelet merges through a Go map (random order); first-seen order is kept here.
function mergeOptions(existing: string[], extra: NonNullable<PodDNSConfig['options']>): string[] {
  const byName = new Map<string, string>();
  for (const op of existing) {
    const colon = op.indexOf(':');
    if (colon === -1) byName.set(op, '');
    else byName.set(op.slice(0, colon), op.slice(colon + 1));
  }
  for (const op of extra) byName.set(op.name ?? '', op.value ?? '');
  return [...byName].map(([name, value]) => (value === '' ? name : `${name}:${value}`));
}

function fitLimits(config: DnsConfig, warnings: PodDnsResult['warnings']): DnsConfig {
  let servers = config.servers;
  if (servers.length > maxDNSNameservers) {
    servers = servers.slice(0, maxDNSNameservers);
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${servers.join(' ')}`,
    });
  }
  return { servers, searches: fitSearches(config.searches, warnings), options: config.options };
}

function fitSearches(searches: string[], warnings: PodDnsResult['warnings']): string[] {
  let exceeded = searches.length > maxDNSSearchPaths;
  let fitted = searches.slice(0, maxDNSSearchPaths);
  const short = fitted.filter((s) => s.length <= maxSearchPathLength);
  exceeded ||= short.length !== fitted.length;
  fitted = short;
  // Drop whole domains from the end until the line fits.
  while (fitted.join(' ').length > maxDNSSearchListChars) {
    fitted = fitted.slice(0, -1);
    exceeded = true;
  }
  if (exceeded) {
    warnings.push({
      reason: 'DNSConfigForming',
      message: `Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${fitted.join(' ')}`,
    });
  }
  return fitted;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
