// An httpGet action (probe or lifecycle hook) as the kubelet sends it (NewRequestForHTTPGetAction):
// scheme://host:port/path from the node, host defaulting to the pod IP, the port resolved by name,
// the spec's headers over User-Agent kube-<purpose>/1.32 and Accept */*, a Host header as the
// request's host; HTTPS without verifying the certificate. Errors read as Go's http.Client words them.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Container, HTTPGetAction } from 'kubernetes-types/core/v1.d.ts';
import { dialError, joinHostPort, resolveContainerPort } from './port.ts';

/** The Kubernetes version in User-Agent, as kubelets of 1.32 send it. */
const kubeVersion = '1.32';
/** The kubelet reads at most 10 KiB of a probe's response body. */
const maxBodyBytes = 10 * 1024;

export interface HttpGetTarget {
  url: URL;
  headers: Record<string, string>;
}

export interface HttpGetResponse {
  statusCode: number;
  body: string;
  location?: string;
}

/** A request that got no response: the message is Go's (`Get "http://…": dial tcp …: connect: connection refused`). */
export class HttpGetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpGetError';
  }
}

export function httpGetTarget(action: HTTPGetAction, container: Container, podIP: string, purpose: 'probe' | 'lifecycle'): HttpGetTarget {
  const scheme = (action.scheme ?? 'HTTP').toLowerCase();
  const port = resolveContainerPort(action.port, container);
  const url = new URL(`${scheme}://${joinHostPort(action.host || podIP, port)}`);
  const path = action.path ?? '';
  const query = path.indexOf('?');
  url.pathname = query < 0 ? path : path.slice(0, query);
  if (query >= 0) url.search = path.slice(query + 1);
  const headers: Record<string, string> = {};
  for (const { name, value } of action.httpHeaders ?? []) headers[canonicalHeader(name)] = value;
  headers['User-Agent'] ??= `kube-${purpose}/${kubeVersion}`;
  if (headers.Accept === undefined) headers.Accept = '*/*';
  else if (headers.Accept === '') delete headers.Accept;
  return { url, headers };
}

export function httpGet(target: HttpGetTarget, timeoutMs: number): Promise<HttpGetResponse> {
  const { url, headers } = target;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new HttpGetError(`Get ${JSON.stringify(url.href)}: ${why}`));
    const req = send(url, { method: 'GET', headers, rejectUnauthorized: false, timeout: timeoutMs }, (res) => {
      readBody(res).then((body) => resolve({ statusCode: res.statusCode ?? 0, body, location: res.headers.location }), (err: Error) => fail(err.message));
    });
    req.once('timeout', () => {
      req.destroy();
      fail('context deadline exceeded (Client.Timeout exceeded while awaiting headers)');
    });
    req.once('error', (err) => fail(dialError(url.host, err)));
    req.end();
  });
}

async function readBody(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    const buffer = chunk as Buffer;
    chunks.push(buffer);
    size += buffer.length;
    if (size >= maxBodyBytes) {
      res.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, maxBodyBytes).toString('utf8');
}

/** Go's http.CanonicalHeaderKey: "x-custom-header" → "X-Custom-Header". */
function canonicalHeader(name: string): string {
  return name.toLowerCase().replace(/(^|-)([a-z])/g, (_m, dash: string, c: string) => dash + c.toUpperCase());
}
