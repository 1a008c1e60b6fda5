// The tcpSocket probe: a connection to host:port from the node (host defaults to the pod IP)
// within the timeout is success; the dial error is the failure's output.
import { Socket } from 'node:net';
import { dialError, joinHostPort } from './port.ts';
import type { ProbeOutcome } from './outcome.ts';

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  const address = joinHostPort(host, port);
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (outcome: ProbeOutcome) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(timeoutMs, () => done({ result: 'Failure', output: `dial tcp ${address}: i/o timeout` }));
    socket.once('error', (err) => done({ result: 'Failure', output: dialError(address, err) }));
    socket.connect(port, host, () => done({ result: 'Success', output: '' }));
  });
}
