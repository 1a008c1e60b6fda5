// The pod's hostname and domain, as the kubelet's GeneratePodHostNameAndDomain and
// GetNodenameForKernel compute them for the sandbox's UTS namespace and /etc/hosts.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { isDNS1123Label } from '../../api/validation/names.ts';
import { goQuote, PodSandboxConfigError } from './errors.ts';

// The kernel's nodename holds 64 bytes including the terminating NUL.
const hostnameMaxLen = 63;
const fqdnMaxLen = 64;

export interface PodHostname {
  /** Short host name: spec.hostname, else the pod's name, cut to 63 characters. */
  hostname: string;
  /** SUBDOMAIN.NAMESPACE.svc.CLUSTER_DOMAIN when spec.subdomain is set, else ''. */
  domain: string;
}

export function podHostnameAndDomain(pod: Pod, clusterDomain = ''): PodHostname {
  const podName = pod.metadata?.name ?? '';
  let hostname = podName;
  const specHostname = pod.spec?.hostname ?? '';
  if (specHostname !== '') {
    const errs = isDNS1123Label(specHostname);
    if (errs.length > 0) {
      throw new PodSandboxConfigError(`pod Hostname ${goQuote(specHostname)} is not a valid DNS label: ${errs.join(';')}`);
    }
    hostname = specHostname;
  }
  hostname = truncateHostname(podName, hostname);
  const subdomain = pod.spec?.subdomain ?? '';
  if (subdomain === '') return { hostname, domain: '' };
  const errs = isDNS1123Label(subdomain);
  if (errs.length > 0) {
    throw new PodSandboxConfigError(`pod Subdomain ${goQuote(subdomain)} is not a valid DNS label: ${errs.join(';')}`);
  }
  return { hostname, domain: `${subdomain}.${pod.metadata?.namespace ?? ''}.svc.${clusterDomain}` };
}

/** The name the kernel gets: the FQDN with setHostnameAsFQDN and a domain, else the short name. */
export function kernelHostname(name: PodHostname, setHostnameAsFQDN: boolean | undefined): string {
  if (name.domain === '' || setHostnameAsFQDN !== true) return name.hostname;
  const fqdn = `${name.hostname}.${name.domain}`;
  if (fqdn.length > fqdnMaxLen) {
    throw new PodSandboxConfigError(
      `failed to construct FQDN from pod hostname and cluster domain, FQDN ${fqdn} is too long (${fqdnMaxLen} characters is the max, ${fqdn.length} characters requested)`,
    );
  }
  return fqdn;
}

// A hostname must not end in '-' or '.' once cut.
function truncateHostname(podName: string, hostname: string): string {
  if (hostname.length <= hostnameMaxLen) return hostname;
  const truncated = hostname.slice(0, hostnameMaxLen).replace(/[-.]+$/, '');
  if (truncated === '') throw new PodSandboxConfigError(`hostname for pod ${goQuote(podName)} was invalid: ${goQuote(hostname)}`);
  return truncated;
}
