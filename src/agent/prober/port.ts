// Where a probe or an httpGet hook connects: the kubelet's ResolveContainerPort (a number, or the
// name of one of the container's ports, or a number written as a string) and Go's wording of
// dial errors, which the kubelet's events and messages carry.
import type { Container } from 'kubernetes-types/core/v1.d.ts';

/** A probe that cannot even be tried (an unknown port name): the kubelet's "probe errored". */
export class ProbeSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProbeSetupError';
  }
}

export function resolveContainerPort(port: number | string, container: Container): number {
  let resolved = typeof port === 'number' ? port : container.ports?.find((p) => p.name === port)?.containerPort;
  if (resolved === undefined) {
    if (!/^[+-]?\d+$/.test(String(port))) throw new ProbeSetupError(`strconv.Atoi: parsing ${JSON.stringify(port)}: invalid syntax`);
    resolved = Number(port);
  }
  if (resolved > 0 && resolved < 65536) return resolved;
  throw new ProbeSetupError(`invalid port number: ${resolved}`);
}

/** host:port as Go's net.JoinHostPort writes it (IPv6 in brackets). */
export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const goSyscallErrors: Record<string, string> = {
  ECONNREFUSED: 'connect: connection refused',
  EHOSTUNREACH: 'connect: no route to host',
  ENETUNREACH: 'connect: network is unreachable',
  ECONNRESET: 'read: connection reset by peer',
  ETIMEDOUT: 'i/o timeout',
};

/** `dial tcp 10.42.0.5:8080: connect: connection refused`, as Go's net.Dial reports a failure. */
export function dialError(address: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  return `dial tcp ${address}: ${goSyscallErrors[code] ?? (err as Error).message}`;
}
