// Completing a WebSocket upgrade for one of the subprotocols a handler speaks (`ws` does the
// handshake, answers pings with pongs and unmasks). A client that offers none of them gets a
// plain 400, which kubectl takes as "no WebSocket here" and falls back to SPDY.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';


export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  return (req.headers.upgrade ?? '').toLowerCase() === 'websocket';
}

/** The subprotocols the client offered, in its order. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** The first of `supported` (the server's preference) that the client offers. */
export function chooseProtocol(req: IncomingMessage, supported: readonly string[]): string | undefined {
  const offered = offeredProtocols(req);
  return supported.find((p) => offered.includes(p));
}

export function acceptWebSocket(req: IncomingMessage, socket: Duplex, head: Buffer, protocol: string): Promise<WebSocket> {
  return new Promise((resolve) => {
    // handleProtocols is per server; the chosen protocol is fixed before the handshake.
    const once = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false, handleProtocols: () => protocol });
    once.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer';
      resolve(ws);
    });
  });
}

/** Answers an upgrade that cannot be accepted, before any protocol switch. */
export function refuseUpgrade(socket: Duplex, code: number, reason: string, body: string, headers: Record<string, string | string[]> = {}): void {
  const lines = [`HTTP/1.1 ${code} ${reason}`, 'Content-Type: text/plain; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) {
    for (const v of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${v}`);
  }
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

