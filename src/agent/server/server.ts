// The agent's HTTPS server (the kubelet's port 10250): client-certificate authentication, then a
// small route table. Routes are plain requests (containerLogs) or, for the streaming
// subresources to come (exec, attach, portForward over WebSocket/SPDY), protocol upgrades; both
// pass the same authentication first.
//
//   TLS (serving pair, client cert requested, verified against the cluster CA)
//     ─▶ request | upgrade ─▶ authn/authz (401/403) ─▶ route by method + path ─▶ serve | upgrade
//                                                     └▶ 404 / 405 Status
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { errors } from '../../api/errors.ts';
import { sendError } from '../../api/http/respond.ts';
import { ClientAuthenticator, type AgentUser } from './authn.ts';

export interface AgentCall {
  req: IncomingMessage;
  /** Named groups of the route's path pattern, URL-decoded. */
  params: Record<string, string>;
  query: URLSearchParams;
  user: AgentUser;
}

export interface AgentRoute {
  method: string;
  /** e.g. /^\/containerLogs\/(?<namespace>[^/]+)\/(?<pod>[^/]+)\/(?<container>[^/]+)$/ */
  path: RegExp;
  serve?(call: AgentCall, res: ServerResponse): Promise<void>;
  /** Takes over the socket of an Upgrade request (WebSocket, SPDY). */
  upgrade?(call: AgentCall, socket: Duplex, head: Buffer): void;
}

export interface AgentServerOptions {
  /** Address to listen on (the node's). */
  address: string;
  /** 0 picks a free port. */
  port: number;
  /** Serving certificate and key, PEM. */
  serving: { cert: string; key: string };
  /** The cluster CA, PEM: client certificates must be signed by it. */
  clientCA: string;
  routes: AgentRoute[];
}

export interface AgentServer {
  port: number;
  /**
   * An upgrade handed over by the API server of this same process (see InProcessKubelet): routed
   * as if it had come over TLS from the API server's client certificate, which it has already
   * authorized, without a TLS hop to itself.
   */
  upgradeInProcess(url: URL, req: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Who an in-process upgrade comes from: the API server itself (kube-apiserver-kubelet-client). */
const inProcessCaller: AgentUser = { name: 'kube-apiserver-kubelet-client', groups: ['system:masters', 'system:authenticated'] };

export async function startAgentServer(options: AgentServerOptions): Promise<AgentServer> {
  const authn = new ClientAuthenticator(options.clientCA);
  const server = createServer({
    key: options.serving.key,
    cert: options.serving.cert,
    ca: options.clientCA,
    requestCert: true,
    rejectUnauthorized: false, // answered with a Status, as the kubelet does, not a TLS alert
    minVersion: 'TLSv1.2',
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void serveRequest(options.routes, authn, req, res).catch((err: unknown) => sendError(res, err));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    serveUpgrade(socket, () => authenticated(authn, req, (user) => route(options.routes, req.method ?? 'GET', new URL(req.url ?? '/', 'https://agent'), req, user)), head);
  });
  const port = await listen(server, options.port, options.address);
  return {
    port,
    upgradeInProcess: (url, req, socket, head) => serveUpgrade(socket, () => route(options.routes, req.method ?? 'GET', url, req, inProcessCaller), head),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serveRequest(routes: AgentRoute[], authn: ClientAuthenticator, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const found = authenticated(authn, req, (user) => route(routes, req.method ?? 'GET', new URL(req.url ?? '/', 'https://agent'), req, user));
  if (!found.route.serve) throw errors.badRequest('this endpoint needs a connection upgrade');
  await found.route.serve(found.call, res);
}

function serveUpgrade(socket: Duplex, find: () => Found, head: Buffer): void {
  try {
    const found = find();
    if (!found.route.upgrade) throw errors.badRequest('this endpoint does not upgrade connections');
    found.route.upgrade(found.call, socket, head);
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 500;
    socket.end(`HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : code === 403 ? 'Forbidden' : 'Error'}\r\nConnection: close\r\n\r\n`);
  }
}

interface Found {
  route: AgentRoute;
  call: AgentCall;
}

/** The client certificate's user, or the Status error (401/403) to answer with. */
function authenticated(authn: ClientAuthenticator, req: IncomingMessage, then: (user: AgentUser) => Found): Found {
  const denied = authn.check(req.socket as TLSSocket, req.method ?? 'GET', new URL(req.url ?? '/', 'https://agent').pathname);
  if (denied) throw denied;
  return then(authn.user(req.socket as TLSSocket)!);
}

/** The route for a method and path; throws the Status error to answer with. */
function route(routes: AgentRoute[], method: string, url: URL, req: IncomingMessage, user: AgentUser): Found {
  let pathMatched = false;
  for (const candidate of routes) {
    const m = candidate.path.exec(url.pathname);
    if (!m) continue;
    pathMatched = true;
    if (candidate.method !== method && !(candidate.method === 'GET' && method === 'HEAD')) continue;
    const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return { route: candidate, call: { req, params, query: url.searchParams, user } };
  }
  throw pathMatched ? errors.methodNotAllowed() : errors.notFoundPath();
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`agent server: cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
