// kube-apiserver's UpgradeAwareHandler, for exec, attach and port-forward: the client's upgrade
// request is replayed to the node agent over TLS (the API server's client certificate), and from
// then on bytes are copied both ways untouched. The agent's answer, 101 or an error, reaches the
// client as the agent wrote it, so the client negotiates WebSocket or SPDY with the agent itself.
//
//   client ──upgrade──▶ API server ──TLS + same request──▶ agent
//   client ◀══════════ raw bytes both ways, until either side closes ══════════▶ agent
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:tls';
import type { Duplex } from 'node:stream';
import type { KubeletClientConfig } from '../handlers/kubelet.ts';
import { transportMessage } from '../handlers/kubelet.ts';
import { ApiError } from '../errors.ts';

/** Hop-by-hop or the client's own: not replayed to the agent. */
const dropped = new Set(['host', 'authorization', 'content-length', 'transfer-encoding', 'proxy-authorization']);

export interface UpgradeTarget {
  /** https://NODE:PORT/exec/… with the agent's query. */
  url: URL;
  kubelet: KubeletClientConfig;
}

/** Resolves once the upstream connection is up and the request sent; rejects when it cannot be dialed. */
export function proxyUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: UpgradeTarget): Promise<void> {
  const { url, kubelet } = target;
  return new Promise((resolve, reject) => {
    const upstream = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port), cert: kubelet.cert, key: kubelet.key, rejectUnauthorized: false });
    upstream.once('error', (err: NodeJS.ErrnoException) => reject(new ApiError('InternalError', 500, `error dialing backend: ${transportMessage(err, url)}`)));
    upstream.once('secureConnect', () => {
      upstream.removeAllListeners('error');
      upstream.setNoDelay(true);
      if ('setNoDelay' in client && typeof client.setNoDelay === 'function') (client as { setNoDelay(on: boolean): void }).setNoDelay(true);
      upstream.write(requestHead(req, url));
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      // A side that closed ends the other only after what it still buffers is written:
      // destroying it would cut the last bytes of a stream (an exec's output, its status).
      upstream.once('close', () => client.end());
      client.once('close', () => upstream.end());
      resolve();
    });
  });
}

function requestHead(req: IncomingMessage, url: URL): string {
  const lines = [`${req.method ?? 'GET'} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (!dropped.has(req.rawHeaders[i]!.toLowerCase())) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  }
  if (req.method === 'POST') lines.push('Content-Length: 0');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** An error answered on a socket that was never upgraded: the Status, as any other response. */
export function sendUpgradeError(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  socket.end([
    `HTTP/1.1 ${err.code} ${statusText(err.code)}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-cache, private', 'Connection: close', '', body,
  ].join('\r\n'));
}

function statusText(code: number): string {
  const texts: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };
  return texts[code] ?? 'Error';
}
