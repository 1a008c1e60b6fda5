// A TCP connection to a port on the pod's localhost, for port forwarding. Node cannot enter
// another network namespace, so each connection is a small relay process that does:
// `nsenter --net=NETNS socat STDIO TCP4:127.0.0.1:PORT` (socat from Debian; its stdio are the
// connection). A pod on the node's network (no netns) is dialed directly.
//
// Only a failed connect is a failure (its message goes to kubectl's error stream, which ends
// kubectl's whole port-forward); a connection that ends in any other way just ends.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { PodConnection } from '../../streaming/portforward/forwarder.ts';

/** socat waits this long for the other direction after one ended (its -t). */
const halfCloseSeconds = 3600;

export function dialPodPort(netnsPath: string, port: number): PodConnection {
  return netnsPath === '' ? dialHost(port) : dialInNamespace(netnsPath, port);
}

function dialInNamespace(netnsPath: string, port: number): PodConnection {
  const child = spawn('nsenter', [`--net=${netnsPath}`, 'socat', '-t', String(halfCloseSeconds), 'STDIO', `TCP4:127.0.0.1:${port}`], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const ended = new Promise<string | undefined>((resolve) => {
    child.once('error', (err) => resolve(`failed to start the port relay: ${err.message}`));
    child.once('close', (code) => resolve(code === 0 || code === null ? undefined : connectFailure(netnsPath, port, stderr)));
  });
  return {
    input: child.stdin,
    output: child.stdout,
    ended,
    close: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** socat's "E connect(5, AF=2 127.0.0.1:80, 16): Connection refused" in the words of containerd's forwarder. */
function connectFailure(netnsPath: string, port: number, stderr: string): string | undefined {
  const connectError = /E connect\([^)]*\): (.+)$/m.exec(stderr)?.[1];
  if (connectError === undefined) return undefined;
  return `failed to connect to localhost:${port} inside namespace ${JSON.stringify(netnsPath)}, IPv4: dial tcp4 127.0.0.1:${port}: connect: ${connectError.trim().toLowerCase()}`;
}

function dialHost(port: number): PodConnection {
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
