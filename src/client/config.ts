// Where the API server is and who we are to it, plus a reader for kubeconfig files so that a
// component can be pointed at a server exactly the way kubectl is.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  /** Base URL, e.g. https://127.0.0.1:6443; http:// is accepted too. */
  server: string;
  /** PEM bundle that signs the server's certificate. */
  ca?: string | Buffer;
  /** PEM client certificate and its key (mutual TLS). */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Bearer token. */
  token?: string;
  userAgent?: string;
  /** Skip server certificate verification (kubeconfig insecure-skip-tls-verify). */
  insecureSkipTLSVerify?: boolean;
}

interface NamedEntry<T> {
  name?: string;
  cluster?: T;
  user?: T;
  context?: T;
}

interface KubeconfigCluster {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
}

interface KubeconfigUser {
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  token?: string;
  tokenFile?: string;
}

interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface Kubeconfig {
  'current-context'?: string;
  clusters?: NamedEntry<KubeconfigCluster>[];
  users?: NamedEntry<KubeconfigUser>[];
  contexts?: NamedEntry<KubeconfigContext>[];
}

/**
 * Reads a kubeconfig and returns the connection of its current context (or of `context`).
 * *-data fields are base64 PEM; file references are resolved relative to the kubeconfig, as
 * kubectl does.
 */
export async function loadKubeconfig(path: string, context?: string): Promise<ClientConfig> {
  const text = await readFile(path, 'utf8');
  let doc: Kubeconfig;
  try {
    doc = (parse(text) ?? {}) as Kubeconfig;
  } catch (err) {
    throw new Error(`kubeconfig ${path}: ${(err as Error).message}`, { cause: err });
  }
  const contextName = context ?? doc['current-context'];
  if (!contextName) throw new Error(`kubeconfig ${path}: no current-context`);
  const ctx = findEntry(doc.contexts, contextName, 'context', path);
  const cluster = findEntry(doc.clusters, ctx.cluster, 'cluster', path);
  const user = ctx.user ? findEntry(doc.users, ctx.user, 'user', path) : {};
  if (!cluster.server) throw new Error(`kubeconfig ${path}: cluster "${ctx.cluster}" has no server`);

  const base = dirname(resolve(path));
  const config: ClientConfig = { server: cluster.server };
  const ca = await pem(cluster['certificate-authority-data'], cluster['certificate-authority'], base);
  if (ca) config.ca = ca;
  const cert = await pem(user['client-certificate-data'], user['client-certificate'], base);
  if (cert) config.cert = cert;
  const key = await pem(user['client-key-data'], user['client-key'], base);
  if (key) config.key = key;
  const token = user.token ?? (user.tokenFile ? (await readFile(resolve(base, user.tokenFile), 'utf8')).trim() : undefined);
  if (token) config.token = token;
  if (cluster['insecure-skip-tls-verify']) config.insecureSkipTLSVerify = true;
  return config;
}

function findEntry<T>(
  entries: NamedEntry<T>[] | undefined,
  name: string | undefined,
  kind: 'cluster' | 'user' | 'context',
  path: string,
): T {
  const entry = (entries ?? []).find((e) => e.name === name);
  const value = entry?.[kind];
  if (!value) throw new Error(`kubeconfig ${path}: ${kind} "${name ?? ''}" not found`);
  return value;
}

async function pem(data: string | undefined, file: string | undefined, base: string): Promise<Buffer | undefined> {
  if (data) return Buffer.from(data, 'base64');
  if (file) return readFile(resolve(base, file));
  return undefined;
}
