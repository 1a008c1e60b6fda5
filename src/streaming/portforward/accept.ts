// Upgrading a port-forward request: kubectl ≥1.31 asks for WebSocket subprotocol
// `SPDY/3.1+portforward.k8s.io` and runs SPDY/3 inside the binary messages (a byte pipe:
// message boundaries mean nothing); older ones and the fallback upgrade to SPDY/3.1 with
// X-Stream-Protocol-Version `portforward.k8s.io`.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream } from 'ws';
import { acceptSpdy, streamProtocols } from '../spdy/upgrade.ts';
import { acceptWebSocket, chooseProtocol, isWebSocketUpgrade, offeredProtocols, refuseUpgrade } from '../websocket/accept.ts';
import { servePortForward, type ForwardTarget } from './forwarder.ts';
import type { SpdyConnection } from '../spdy/connection.ts';

export const portForwardProtocol = 'portforward.k8s.io';
export const tunnelProtocol = `SPDY/3.1+${portForwardProtocol}`;

export async function acceptPortForward(req: IncomingMessage, socket: Duplex, head: Buffer, target: ForwardTarget): Promise<SpdyConnection | undefined> {
  if (isWebSocketUpgrade(req)) {
    if (chooseProtocol(req, [tunnelProtocol]) === undefined) {
      refuseUpgrade(socket, 400, 'Bad Request', `unable to upgrade: no supported subprotocol in [${offeredProtocols(req).join(' ')}]`);
      return undefined;
    }
    const ws = await acceptWebSocket(req, socket, head, tunnelProtocol);
    return servePortForward(createWebSocketStream(ws), target);
  }
  const client = streamProtocols(req);
  if (!client.includes(portForwardProtocol)) {
    refuseUpgrade(socket, 403, 'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${portForwardProtocol}]`,
      { 'X-Accepted-Stream-Protocol-Versions': portForwardProtocol });
    return undefined;
  }
  return servePortForward(acceptSpdy(socket, head, portForwardProtocol), target);
}
