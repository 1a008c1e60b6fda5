// The API server: HTTPS with client-certificate or token authentication in front of the router,
// over one store and one watch cache. Started by `peapod server`; tests start it in-process.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Store } from '../store/store.ts';
import { openStore } from '../store/index.ts';
import { startCompactor } from '../store/compactor.ts';
import { authenticate, type Authenticator } from './auth/authn.ts';
import { ensurePki, tlsServerOptions } from './auth/pki.ts';
import { ensureTokens } from './auth/tokens.ts';
import { serveCaCerts } from './join/cacerts.ts';
import { writeJoinToken } from './join/token.ts';
import { writeAdminKubeconfig } from './auth/kubeconfig.ts';
import { serveDiscovery, serveHealth, serveVersion } from './discovery/index.ts';
import { serveOpenAPI } from './openapi/handler.ts';
import { errors } from './errors.ts';
import { sendError } from './http/respond.ts';
import { bootstrap } from './bootstrap.ts';
import { ObjectCodec } from './handlers/codec.ts';
import { Registry } from './registry/registry.ts';
import { WatchCache } from './registry/watchcache.ts';
import { strategies } from './registry/strategies/index.ts';
import { route, routeUpgrade, type RouterParts } from './router.ts';
import { sendUpgradeError } from './proxy/upgrade.ts';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { getSchemaSet } from './schema/index.ts';
import { schemaChecks } from './schema/checks.ts';
import { tablePrinter } from './table/index.ts';
import type { ClientConfig } from '../client/config.ts';

export interface ApiServerOptions {
  dataDir: string;
  port: number;
  bindAddress: string;
  /** "sqlite" or "etcd://host:port,…" */
  datastore: string;
  bookmarkIntervalMs?: number;
  compactionIntervalMs?: number;
  now?: () => Date;
}

export interface ApiServer {
  url: string;
  port: number;
  store: Store;
  registry: Registry;
  kubeconfigPath: string;
  /** DATA/agent-token: what `peapod agent --token` takes. */
  joinTokenPath: string;
  /** The cluster CA, PEM. */
  clusterCa: string;
  loopback: ClientConfig;
  close(): Promise<void>;
}

export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const now = options.now ?? (() => new Date());
  const store = await openStore(options.datastore, options.dataDir);
  const pki = await ensurePki(options.dataDir, { hosts: [options.bindAddress] });
  const tokens = await ensureTokens(options.dataDir);
  const registry = new Registry(store, strategies(), now);
  const watchCache = new WatchCache(store);
  await watchCache.start();
  await bootstrap(registry);
  // kube-apiserver compacts every 5 minutes to the revision it saw 5 minutes before.
  const compactor = startCompactor(store, { intervalMs: options.compactionIntervalMs ?? 5 * 60_000 });
  let ready = false;
  const schemas = getSchemaSet();
  const parts: RouterParts = {
    registry,
    watchCache,
    schemas,
    codec: new ObjectCodec(schemaChecks(schemas), tablePrinter),
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 60_000,
    simple: [(req) => serveHealth(req, ready), serveVersion, serveCaCerts(pki.ca.cert), serveDiscovery, serveOpenAPI],
    kubelet: pki.kubeletClient,
  };
  const authn: Authenticator = { pki, tokens };
  const server = createServer(tlsServerOptions(pki), (req, res) => {
    const user = authenticate(authn, req.socket as TLSSocket, req.headers.authorization);
    if (!user && !anonymousPaths.has(pathOf(req.url))) {
      sendError(res, errors.unauthorized());
      return;
    }
    void route(parts, req, res);
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const user = authenticate(authn, req.socket as TLSSocket, req.headers.authorization);
    if (!user) {
      sendUpgradeError(socket, errors.unauthorized());
      return;
    }
    void routeUpgrade(parts, req, socket, head);
  });
  server.keepAliveTimeout = 65_000;
  const port = await listen(server, options.port, options.bindAddress);
  const host = options.bindAddress === '0.0.0.0' ? '127.0.0.1' : options.bindAddress;
  const url = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const kubeconfigPath = await writeAdminKubeconfig(options.dataDir, url, pki);
  const joinTokenPath = await writeJoinToken(options.dataDir, pki.ca.cert, tokens.bootstrapToken ?? '');
  ready = true;
  return {
    url,
    port,
    store,
    registry,
    kubeconfigPath,
    joinTokenPath,
    clusterCa: pki.ca.cert,
    // The server's own components talk to it over loopback, as kube's do, with the admin identity.
    loopback: { server: url, ca: pki.ca.cert, cert: pki.admin.cert, key: pki.admin.key, userAgent: 'peapod-server' },
    close: async () => {
      compactor.stop();
      watchCache.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}

/** What kube-apiserver lets anyone read (the system:public-info-viewer role). */
const anonymousPaths = new Set(['/healthz', '/livez', '/readyz', '/version', '/cacerts']);

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?')[0];
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err) => reject(new Error(`cannot listen on ${host}:${port}: ${err.message}`)));
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
