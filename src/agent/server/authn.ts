// Who may call the agent: a client certificate signed by the cluster CA (the kubelet's
// --client-ca-file), and, of those, members of system:masters — kube-apiserver's
// kube-apiserver-kubelet-client and cluster admins (the kubelet asks the API server's authorizer;
// this is what its default RBAC grants for nodes/proxy). No or another certificate → 401;
// a good certificate without the right → 403 with the kubelet's message.
import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { errors, type ApiError } from '../../api/errors.ts';

export interface AgentUser {
  name: string;
  groups: string[];
}

export class ClientAuthenticator {
  private readonly caFingerprint: string;

  constructor(clientCaPem: string) {
    this.caFingerprint = new X509Certificate(clientCaPem).fingerprint256;
  }

  /** The verified certificate's subject: CN = user, O = groups. */
  user(socket: TLSSocket): AgentUser | undefined {
    if (!socket.authorized) return undefined;
    const peer = socket.getPeerCertificate(true);
    // authorized means the chain verified against the CA list; the issuer check pins it to ours.
    if (!peer?.subject || peer.issuerCertificate?.fingerprint256 !== this.caFingerprint) return undefined;
    const name = first(peer.subject.CN);
    return name ? { name, groups: [...all(peer.subject.O), 'system:authenticated'] } : undefined;
  }

  /** undefined when allowed, else the error to answer with. */
  check(socket: TLSSocket, method: string, path: string): ApiError | undefined {
    const user = this.user(socket);
    if (!user) return errors.unauthorized();
    if (user.groups.includes('system:masters')) return undefined;
    return errors.forbidden(`Forbidden (user=${user.name}, verb=${verbOf(method)}, resource=nodes, subresource=${subresourceOf(path)})`);
  }
}

function verbOf(method: string): string {
  return ({ POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' } as Record<string, string>)[method] ?? 'get';
}

/** pkg/kubelet/server/auth.go: the paths with their own subresource; everything else is proxy. */
function subresourceOf(path: string): string {
  for (const [prefix, sub] of [['/stats', 'stats'], ['/metrics', 'metrics'], ['/logs', 'log'], ['/checkpoint', 'checkpoint']]) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return sub;
  }
  return 'proxy';
}

function all(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function first(value: string | string[] | undefined): string | undefined {
  return all(value)[0];
}
