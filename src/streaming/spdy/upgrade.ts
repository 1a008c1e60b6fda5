// Switching an HTTP/1.1 connection to SPDY/3.1 (apimachinery httpstream's handshake): 101 with
// `Upgrade: SPDY/3.1` and the chosen X-Stream-Protocol-Version, then frames on the same socket.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** Every X-Stream-Protocol-Version the client sent, in order (one header line each, or comma-joined). */
export function streamProtocols(req: IncomingMessage): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === 'x-stream-protocol-version') values.push(...req.rawHeaders[i + 1]!.split(','));
  }
  return values.map((v) => v.trim()).filter(Boolean);
}

export function isSpdyUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase().startsWith('spdy/3.1');
}

/** Answers 101 and returns the socket, bytes read past the request put back first. */
export function acceptSpdy(socket: Duplex, head: Buffer, protocol: string): Duplex {
  socket.write(['HTTP/1.1 101 Switching Protocols', 'Connection: Upgrade', 'Upgrade: SPDY/3.1', `X-Stream-Protocol-Version: ${protocol}`, '', ''].join('\r\n'));
  if (head.length > 0) socket.unshift(head);
  return socket;
}
