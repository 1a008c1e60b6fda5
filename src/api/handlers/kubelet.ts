// Reaching a pod's node agent (kube-apiserver's kubelet client): its address and port from the
// Node, the API server's client certificate, and Go's wording for failures, so that kubectl
// prints what it prints against kube-apiserver.
import type { Node } from 'kubernetes-types/core/v1.d.ts';
import { ApiError } from '../errors.ts';

/** The client certificate presented to node agents. */
export interface KubeletClientConfig {
  cert: string;
  key: string;
}

// kubeadm's --kubelet-preferred-address-types: the node's own IP before names that need DNS.
const preferredAddressTypes = ['InternalIP', 'ExternalIP', 'Hostname'];

export function kubeletHost(node: Node): string {
  const addresses = node.status?.addresses ?? [];
  const address = preferredAddressTypes.map((type) => addresses.find((a) => a.type === type && a.address)).find(Boolean);
  if (!address) {
    const known = addresses.map((a) => `{${a.type} ${a.address}}`).join(' ');
    throw unknownReason(`no preferred addresses found; known addresses: [${known}]`);
  }
  const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port || 10250;
  return `${address.address.includes(':') ? `[${address.address}]` : address.address}:${port}`;
}

/** Go's net/http wording for the common failures, so messages read as kube-apiserver's. */
export function transportMessage(err: NodeJS.ErrnoException, url: URL): string {
  const hostPort = url.host;
  if (err.code === 'ECONNREFUSED') return `dial tcp ${hostPort}: connect: connection refused`;
  if (err.code === 'ETIMEDOUT') return `dial tcp ${hostPort}: i/o timeout`;
  return err.message;
}

/** A plain error as kube-apiserver reports it (ErrorToAPIStatus): no reason, kubectl prints "Error from server: …". */
class UnknownReasonError extends ApiError {
  override toStatus() {
    const status = super.toStatus();
    delete status.reason;
    return status;
  }
}

export function unknownReason(message: string, code = 500, details?: ApiError['details']): ApiError {
  return new UnknownReasonError('InternalError', code, message, details);
}
