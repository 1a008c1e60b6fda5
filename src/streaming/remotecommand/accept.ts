// Upgrading an exec or attach request to a remote command session, as the kubelet's
// remotecommand server does: WebSocket when the client asks for it (kubectl ≥1.30), else SPDY/3.1
// with the first X-Stream-Protocol-Version of the client's that is spoken here. A client that
// offers none gets 403 with the versions accepted (the kubelet's answer).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, chooseProtocol, isWebSocketUpgrade, offeredProtocols, refuseUpgrade } from '../websocket/accept.ts';
import { spdySession, spdyProtocols } from './spdy_session.ts';
import { websocketSession, websocketProtocols } from './websocket_session.ts';
import type { RemoteCommandSession, StreamOptions } from './session.ts';
import { acceptSpdy, streamProtocols } from '../spdy/upgrade.ts';

/** The session, or undefined when the upgrade was refused (the socket is answered and closed). */
export async function acceptRemoteCommand(req: IncomingMessage, socket: Duplex, head: Buffer, options: StreamOptions): Promise<RemoteCommandSession | undefined> {
  if (isWebSocketUpgrade(req)) {
    const protocol = chooseProtocol(req, websocketProtocols);
    if (protocol === undefined) {
      refuseUpgrade(socket, 400, 'Bad Request', `unable to upgrade: no supported subprotocol in [${offeredProtocols(req).join(' ')}]`);
      return undefined;
    }
    return websocketSession(await acceptWebSocket(req, socket, head, protocol), options);
  }
  const client = streamProtocols(req);
  const protocol = client.find((p) => (spdyProtocols as readonly string[]).includes(p));
  if (protocol === undefined) {
    refuseUpgrade(socket, 403, 'Forbidden',
      `unable to upgrade: unable to negotiate protocol: client supports [${client.join(' ')}], server accepts [${spdyProtocols.join(' ')}]`,
      { 'X-Accepted-Stream-Protocol-Versions': [...spdyProtocols] });
    return undefined;
  }
  return spdySession(acceptSpdy(socket, head, protocol), options);
}
