// The GET lower bound: a bare node:https server with the API server's own TLS options (serving
// pair, client certificates requested) that answers every request with one fixed body from
// memory. What remains between it and peapod is routing, authentication, the store read and
// encoding — everything peapod adds on top of TLS and HTTP/1.1 in Node.
import { createServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface BareServer {
  origin: string;
  close(): Promise<void>;
}

export async function startBareServer(tls: ServerOptions, body: string): Promise<BareServer> {
  const length = Buffer.byteLength(body);
  const server = createServer(tls, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': length, 'Cache-Control': 'no-cache, private' });
    res.end(body);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`bare https server: cannot listen: ${err.message}`)));
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
