// RestClient: JSON over HTTP(S) to the API server, one method per verb. Every non-2xx answer
// becomes a ClientError carrying the server's metav1.Status. Watches get their own agent because
// they hold a connection for minutes and must not starve ordinary requests of sockets.
import http from 'node:http';
import https from 'node:https';
import type { ListMeta, Preconditions, Status } from 'kubernetes-types/meta/v1.d.ts';
import type { ClientConfig } from './config.ts';
import { ClientError, statusFromResponse } from './errors.ts';
import { WatchStream } from './watch.ts';

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  /** "0": any cached state is fine; "": the newest (a quorum read); otherwise at least as new as this. */
  resourceVersion?: string;
}

export interface WatchOptions {
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export interface PatchOptions extends WriteOptions {
  /** Server-side apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: Preconditions;
  dryRun?: boolean;
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  // Server-side apply bodies are YAML by media type; JSON is YAML.
  apply: 'application/apply-patch+yaml',
};

export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

type Query = Record<string, string | number | boolean | undefined>;

interface Sent {
  req: http.ClientRequest;
  res: http.IncomingMessage;
}

export interface RestClientOptions {
  /** How long a non-watch request may sit without socket activity before it fails. Default 60 s. */
  requestTimeoutMs?: number;
  /** Sockets per agent for ordinary requests. Default 32. */
  maxSockets?: number;
}

export class RestClient {
  private readonly base: URL;
  private readonly transport: typeof http | typeof https;
  private readonly agent: http.Agent;
  private readonly watchAgent: http.Agent;
  private readonly headers: Record<string, string>;
  private readonly requestTimeoutMs: number;

  constructor(config: ClientConfig, options: RestClientOptions = {}) {
    this.base = new URL(config.server);
    if (this.base.protocol !== 'https:' && this.base.protocol !== 'http:') {
      throw new Error(`client config: server ${config.server} is neither https:// nor http://`);
    }
    const secure = this.base.protocol === 'https:';
    this.transport = secure ? https : http;
    const tls = { ca: config.ca, cert: config.cert, key: config.key, rejectUnauthorized: !config.insecureSkipTLSVerify };
    const agentOptions = { keepAlive: true, ...(secure ? tls : {}) };
    this.agent = new this.transport.Agent({ ...agentOptions, maxSockets: options.maxSockets ?? 32 });
    this.watchAgent = new this.transport.Agent(agentOptions);
    this.headers = { Accept: 'application/json', 'User-Agent': config.userAgent ?? 'peapod/0.1.0' };
    if (config.token) this.headers.Authorization = `Bearer ${config.token}`;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path, {});
  }

  list<T>(path: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.call<ObjectList<T>>('GET', path, { ...options });
  }

  create<T>(path: string, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.call<T>('POST', path, writeQuery(options), JSON.stringify(obj), 'application/json');
  }

  update<T>(path: string, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.call<T>('PUT', path, writeQuery(options), JSON.stringify(obj), 'application/json');
  }

  patch<T>(path: string, body: unknown, patchType: PatchType, options: PatchOptions = {}): Promise<T> {
    const query: Query = { ...writeQuery(options), force: patchType === 'apply' ? options.force : undefined };
    return this.call<T>('PATCH', path, query, JSON.stringify(body), PATCH_CONTENT_TYPES[patchType]);
  }

  /** Returns the object while it awaits finalizers or a grace period, else a Success Status. */
  delete<T = Status>(path: string, options: DeleteOptions = {}): Promise<T> {
    const { dryRun, ...body } = options;
    return this.call<T>('DELETE', path, { dryRun: dryRun ? 'All' : undefined }, JSON.stringify(body), 'application/json');
  }

  /** Opens a watch; resolves once the server accepted it (HTTP 410 and other refusals reject). */
  async watch<T>(path: string, options: WatchOptions = {}): Promise<WatchStream<T>> {
    const query: Query = { ...options, watch: true };
    const { req, res } = await this.send('GET', path, query, undefined, undefined, this.watchAgent);
    const what = `GET ${path} (watch)`;
    if (!ok(res)) throw new ClientError(statusFromResponse(res.statusCode ?? 0, 'GET', await readBody(res)), what);
    return new WatchStream<T>(req, res, what);
  }

  /** Closes idle keep-alive sockets and every open watch. */
  close(): void {
    this.agent.destroy();
    this.watchAgent.destroy();
  }

  private async call<T>(method: string, path: string, query: Query, body?: string, contentType?: string): Promise<T> {
    const { res } = await this.send(method, path, query, body, contentType, this.agent);
    const text = await readBody(res);
    if (!ok(res)) throw new ClientError(statusFromResponse(res.statusCode ?? 0, method, text), `${method} ${path}`);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (err) {
      throw new Error(`${method} ${path}: response is not JSON: ${text.slice(0, 200)}`, { cause: err });
    }
  }

  private send(method: string, path: string, query: Query, body: string | undefined, contentType: string | undefined, agent: http.Agent): Promise<Sent> {
    const url = this.url(path, query);
    const headers: Record<string, string> = { ...this.headers };
    if (contentType) headers['Content-Type'] = contentType;
    // Explicit length: node frames neither chunked nor by length a DELETE body on its own.
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    return new Promise((resolve, reject) => {
      const req = this.transport.request(url, { method, agent, headers }, (res) => resolve({ req, res }));
      req.on('error', (err) => reject(new Error(`${method} ${url.pathname}: ${err.message}`, { cause: err })));
      if (agent === this.agent) {
        req.setTimeout(this.requestTimeoutMs, () => req.destroy(new Error(`timed out after ${this.requestTimeoutMs} ms`)));
      }
      req.end(body);
    });
  }

  private url(path: string, query: Query): URL {
    const url = new URL(this.base.pathname.replace(/\/$/, '') + path, this.base);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
    }
    return url;
  }
}

function writeQuery(options: WriteOptions): Query {
  return { fieldManager: options.fieldManager, dryRun: options.dryRun ? 'All' : undefined };
}

function ok(res: http.IncomingMessage): boolean {
  const code = res.statusCode ?? 0;
  return code >= 200 && code < 300;
}

async function readBody(res: http.IncomingMessage): Promise<string> {
  res.setEncoding('utf8');
  let text = '';
  for await (const chunk of res) text += chunk as string;
  return text;
}
