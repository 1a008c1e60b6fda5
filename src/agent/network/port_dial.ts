// What port forwarding needs besides the relay (port_relay.ts): a direct connection for a pod on
// the node's network, and the kubelet's words for a connection refused inside a pod's namespace.
//
// Only a failed connect is a failure (its message goes to kubectl's error stream, which ends
// kubectl's whole port-forward); a connection that ends in any other way just ends.
import { connect } from 'node:net';
import type { PodConnection } from '../../streaming/portforward/forwarder.ts';

/** A failed connect inside a pod's namespace, in the words of containerd's forwarder. */
export function connectFailure(netnsPath: string, port: number, reason: string): string {
  return `failed to connect to localhost:${port} inside namespace ${JSON.stringify(netnsPath)}, IPv4: dial tcp4 127.0.0.1:${port}: connect: ${reason.trim().toLowerCase()}`;
}

/** The node's own 127.0.0.1:PORT, for pods on the node's network. */
export function dialHost(port: number): PodConnection {
  const socket = connect({ host: '127.0.0.1', port });
  let failure: string | undefined;
  let connected = false;
  socket.once('connect', () => (connected = true));
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (!connected) failure = `dial tcp4 127.0.0.1:${port}: connect: ${err.code === 'ECONNREFUSED' ? 'connection refused' : err.message}`;
  });
  return {
    input: socket,
    output: socket,
    ended: new Promise((resolve) => socket.once('close', () => resolve(failure))),
    close: () => socket.destroy(),
  };
}
