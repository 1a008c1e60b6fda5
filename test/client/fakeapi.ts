// A scripted stand-in for the API server: ordinary requests are answered by a function the test
// sets; watch requests that function leaves unanswered become FakeWatch handles the test feeds
// event by event (or byte by byte) and ends when it likes.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { AsyncQueue } from '../../src/util/asyncqueue.ts';

export interface Recorded {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: http.IncomingMessage['socket'];
}

export interface Reply {
  status?: number;
  body: unknown;
  contentType?: string;
}

export type Responder = (req: Recorded) => Reply | undefined;

export class FakeWatch {
  readonly request: Recorded;
  private readonly res: http.ServerResponse;
  /** Resolves when the client goes away. */
  readonly closed: Promise<void>;

  constructor(request: Recorded, res: http.ServerResponse) {
    this.request = request;
    this.res = res;
    this.closed = new Promise((resolve) => res.on('close', () => resolve()));
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.flushHeaders();
  }

  send(type: string, object: unknown): void {
    this.res.write(JSON.stringify({ type, object }) + '\n');
  }

  /** Raw bytes, to cut events at awkward places. */
  raw(chunk: string | Buffer): void {
    this.res.write(chunk);
  }

  end(): void {
    this.res.end();
  }

  /** Drops the connection without finishing the chunked body. */
  destroy(): void {
    this.res.socket?.destroy();
  }
}

export class FakeApiServer {
  readonly requests: Recorded[] = [];
  respond: Responder = () => ({ status: 404, body: { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'not scripted' } });
  private readonly server: http.Server;
  private readonly watches = new AsyncQueue<FakeWatch>();
  private readonly watchIterator = this.watches[Symbol.asyncIterator]();
  private readonly open = new Set<http.ServerResponse>();
  url = '';

  private constructor(server: http.Server) {
    this.server = server;
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res));
  }

  static async start(tls?: https.ServerOptions): Promise<FakeApiServer> {
    const fake = new FakeApiServer(tls ? https.createServer(tls) : http.createServer());
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    const { port } = fake.server.address() as AddressInfo;
    fake.url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return fake;
  }

  async nextWatch(): Promise<FakeWatch> {
    const next = await this.watchIterator.next();
    if (next.done) throw new Error('fake API server closed');
    return next.value;
  }

  requestsTo(method: string, watch: boolean): Recorded[] {
    return this.requests.filter((r) => r.method === method && (r.query.get('watch') === 'true') === watch);
  }

  async close(): Promise<void> {
    this.watches.end();
    for (const res of this.open) res.socket?.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const url = new URL(req.url ?? '/', 'http://fake');
    const recorded: Recorded = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body, socket: req.socket };
    this.requests.push(recorded);
    const reply = this.respond(recorded);
    if (reply) {
      const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      res.writeHead(reply.status ?? 200, { 'Content-Type': reply.contentType ?? 'application/json' });
      res.end(text);
      return;
    }
    if (url.searchParams.get('watch') !== 'true') {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`unscripted ${req.method} ${req.url}`);
      return;
    }
    this.open.add(res);
    res.on('close', () => this.open.delete(res));
    this.watches.push(new FakeWatch(recorded, res));
  }
}

export function status(code: number, reason: string, message: string, details?: object): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(details ? { details } : {}) };
}

export function pod(name: string, rv: string, extra: { uid?: string; phase?: string } = {}): object {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace: 'default', resourceVersion: rv, uid: extra.uid ?? `uid-${name}` },
    status: extra.phase ? { phase: extra.phase } : {},
  };
}

export function podList(rv: string, items: object[], cont?: string): object {
  return { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) }, items };
}
