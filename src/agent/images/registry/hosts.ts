// Which endpoints serve a registry's images, in the order to try them (containerd's hosts, as
// k3s configures them from registries.yaml): the registry's mirror endpoints (or those of "*"),
// each with the mirror's first matching rewrite applied to the repository, then the registry's
// own "default endpoint" with the repository unchanged. Auth and TLS come from `configs` under
// the endpoint's host[:port] (for the default endpoint, the registry's name), else from "*".
//
//   busybox ─▶ docker.io/library/busybox ─▶ http://127.0.0.1:5000/v2  mirror/busybox  (rewritten)
//                                        └▶ https://registry-1.docker.io/v2  library/busybox
import type { Credentials } from './auth.ts';
import type { RegistriesConfig, RegistryHostConfig, RegistryMirror, RegistryTLS } from './config.ts';
import { registryEndpoint, type ImageReference } from './reference.ts';

export interface RegistryHost {
  host: string; // host[:port]: the key for cached tokens
  api: string; // the API root URL, e.g. http://127.0.0.1:5000/v2
  repository: string; // the repository on this endpoint
  credentials?: Credentials;
  tls?: RegistryTLS;
}

export interface HostOptions {
  insecureRegistries?: readonly string[];
  // k3s's --disable-default-registry-endpoint: registries with a mirror entry use only its endpoints.
  defaultEndpoint?: boolean;
}

export function registryHosts(config: RegistriesConfig, image: ImageReference, options: HostOptions = {}): RegistryHost[] {
  const mirror = config.mirrors.get(image.registry) ?? config.mirrors.get('*');
  const hosts = (mirror?.endpoints ?? []).map((endpoint) => mirrorHost(config, mirror as RegistryMirror, endpoint, image.repository));
  if (mirror === undefined || options.defaultEndpoint !== false) {
    const api = `${registryEndpoint(image.registry, options.insecureRegistries)}/v2`;
    if (!hosts.some((host) => host.api === api)) {
      const own = config.configs.get(image.registry) ?? hostConfig(config, new URL(api).host);
      hosts.push({ host: new URL(api).host, api, repository: image.repository, ...own });
    }
  }
  return hosts;
}

function mirrorHost(config: RegistriesConfig, mirror: RegistryMirror, endpoint: URL, repository: string): RegistryHost {
  // As k3s: an endpoint without a path (or with /v2) speaks under /v2; any other path is used as is.
  const path = endpoint.pathname.replace(/\/+$/, '');
  const api = `${endpoint.origin}${path === '' ? '/v2' : path}`;
  return { host: endpoint.host, api, repository: rewrite(mirror, repository), ...hostConfig(config, endpoint.host) };
}

function hostConfig(config: RegistriesConfig, host: string): RegistryHostConfig {
  return config.configs.get(host) ?? config.configs.get('*') ?? {};
}

function rewrite(mirror: RegistryMirror, repository: string): string {
  const rule = mirror.rewrites.find((candidate) => candidate.pattern.test(repository));
  if (rule === undefined) return repository;
  // Go's ${1} is JavaScript's $1.
  return repository.replace(rule.pattern, rule.replacement.replace(/\$\{(\d+)\}/g, '$$$1'));
}
