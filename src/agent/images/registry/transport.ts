// HTTPS with a registry's own TLS settings (a private CA, a client certificate, or no verification),
// which the global fetch cannot take: a fetch-shaped function over node:https. Redirects are followed
// as fetch does (registries send blob reads to their storage); a redirect to another host drops the
// Authorization header, which was meant for the registry only.
import { readFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { Readable } from 'node:stream';
import type { RegistryTLS } from './config.ts';
import { RegistryError } from './errors.ts';

export type Fetch = (url: string, init?: { method?: string; headers?: Record<string, string> }) => Promise<Response>;

const maxRedirects = 10;

export function tlsFetch(tls: RegistryTLS, plain: typeof fetch): Fetch {
  const options: RequestOptions = {
    ca: tls.caFile === undefined ? undefined : readTLSFile(tls.caFile, 'ca_file'),
    cert: tls.certFile === undefined ? undefined : readTLSFile(tls.certFile, 'cert_file'),
    key: tls.keyFile === undefined ? undefined : readTLSFile(tls.keyFile, 'key_file'),
    rejectUnauthorized: tls.insecureSkipVerify !== true,
  };
  const get: Fetch = async (url, init = {}) => {
    let target = new URL(url);
    let headers = init.headers ?? {};
    for (let hop = 0; hop <= maxRedirects; hop++) {
      if (target.protocol !== 'https:') return plain(target, { method: init.method, headers });
      const response = await once(target, { ...options, method: init.method ?? 'GET', headers });
      const location = response.headers.get('location');
      if (response.status < 300 || response.status >= 400 || location === null) return response;
      await response.body?.cancel();
      const next = new URL(location, target);
      if (next.host !== target.host) {
        const { authorization: _dropped, ...rest } = headers;
        headers = rest;
      }
      target = next;
    }
    throw new RegistryError('Unavailable', `${url}: more than ${maxRedirects} redirects`);
  };
  return get;
}

function once(url: URL, options: RequestOptions): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, options, (incoming) => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        for (const item of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, item);
      }
      const status = incoming.statusCode ?? 502;
      const empty = status === 204 || status === 304 || options.method === 'HEAD';
      if (empty) incoming.resume();
      const body = empty ? null : (Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
      resolve(new Response(body, { status, headers }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

function readTLSFile(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new RegistryError('Unavailable', `tls ${field} ${path}: ${(error as Error).message}`, { cause: error });
  }
}
