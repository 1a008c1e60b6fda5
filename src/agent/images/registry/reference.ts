// Image references as Docker and the kubelet read them: "busybox" is
// docker.io/library/busybox:latest, a first component with a dot, a colon or "localhost" names
// a registry, "@sha256:..." pins a digest.
export interface ImageReference {
  registry: string; // host[:port] as written, docker.io for Docker Hub
  repository: string;
  tag?: string;
  digest?: string;
}

export class InvalidReferenceError extends Error {
  constructor(reference: string, why: string) {
    super(`invalid image reference ${JSON.stringify(reference)}: ${why}`);
    this.name = 'InvalidReferenceError';
  }
}

const component = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const tagPattern = /^[\w][\w.-]{0,127}$/;
const digestPattern = /^sha256:[a-f0-9]{64}$/;

export function parseReference(reference: string): ImageReference {
  let rest = reference;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestPattern.test(digest)) throw new InvalidReferenceError(reference, 'malformed digest');
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagPattern.test(tag)) throw new InvalidReferenceError(reference, 'malformed tag');
  }
  const parts = rest.split('/');
  const first = parts[0];
  let registry = 'docker.io';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first === 'index.docker.io' ? 'docker.io' : first;
    parts.shift();
  }
  if (parts.length === 0 || !parts.every((part) => component.test(part))) {
    throw new InvalidReferenceError(reference, 'repository must be lowercase path components');
  }
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  return { registry, repository: parts.join('/'), tag: tag ?? (digest === undefined ? 'latest' : undefined), digest };
}

export function formatReference(reference: ImageReference): string {
  const tag = reference.tag !== undefined ? `:${reference.tag}` : '';
  const digest = reference.digest !== undefined ? `@${reference.digest}` : '';
  return `${reference.registry}/${reference.repository}${tag}${digest}`;
}

// Docker Hub's API lives on another host than its name.
export function registryEndpoint(registry: string, insecure: readonly string[] = []): string {
  if (registry === 'docker.io') return 'https://registry-1.docker.io';
  const host = registry.replace(/:\d+$/, '');
  const plain = host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || insecure.includes(registry);
  return `${plain ? 'http' : 'https'}://${registry}`;
}
