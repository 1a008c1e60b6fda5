// pods/log: kube-apiserver's LogREST. The options are decoded and validated here, the container
// and the node are found from the Pod and its Node, and the node agent's
// /containerLogs/NS/POD/CONTAINER is streamed back as text/plain (flushed as it comes when
// following). The agent is reached with the kubelet client certificate; its serving certificate
// is not verified, as kube-apiserver does without --kubelet-certificate-authority.
//
//   GET …/pods/p/log?… ─▶ decode + validate ─▶ pod ─▶ container ─▶ no node yet? 204, empty
//                      ─▶ node: address + kubelet port ─▶ HTTPS GET agent ─▶ 2xx: stream through
//                                                                          └▶ else: Status, as kube's
//                                                                             GenericHttpResponseChecker
import { request as httpsRequest } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.d.ts';
import { ApiError, errors } from '../errors.ts';
import { FieldError } from '../validation/field.ts';
import type { RequestContext } from './context.ts';
import { kubeletHost, transportMessage, unknownReason, type KubeletClientConfig } from './kubelet.ts';

/** core/v1 PodLogOptions (not in kubernetes-types: it is only ever a query). */
export interface PodLogOptions {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  sinceSeconds?: number;
  /** RFC 3339, seconds precision. */
  sinceTime?: string;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
  insecureSkipTLSVerifyBackend?: boolean;
}

/** The query as kube's parameter codec reads it; a value that does not convert is a 400. */
export function decodePodLogOptions(query: URLSearchParams): PodLogOptions {
  const opts: PodLogOptions = {};
  const container = query.get('container');
  if (container !== null) opts.container = container;
  for (const name of ['follow', 'previous', 'timestamps', 'insecureSkipTLSVerifyBackend'] as const) {
    const value = query.get(name);
    if (value !== null) opts[name] = goQueryBool(value);
  }
  for (const name of ['sinceSeconds', 'tailLines', 'limitBytes'] as const) {
    const value = query.get(name);
    if (value !== null) opts[name] = goParseInt(value);
  }
  const sinceTime = query.get('sinceTime');
  if (sinceTime !== null && sinceTime !== '') opts.sinceTime = rfc3339Seconds(sinceTime);
  return opts;
}

/** pkg/apis/core/validation ValidatePodLogOptions. */
export function validatePodLogOptions(opts: PodLogOptions): FieldError[] {
  const errs: FieldError[] = [];
  if (opts.tailLines !== undefined && opts.tailLines < 0) {
    errs.push(new FieldError('FieldValueInvalid', 'tailLines', opts.tailLines, 'must be greater than or equal to 0'));
  }
  if (opts.limitBytes !== undefined && opts.limitBytes < 1) {
    errs.push(new FieldError('FieldValueInvalid', 'limitBytes', opts.limitBytes, 'must be greater than 0'));
  }
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) {
    errs.push(new FieldError('FieldValueForbidden', '', undefined, 'at most one of `sinceTime` or `sinceSeconds` may be specified'));
  } else if (opts.sinceSeconds !== undefined && opts.sinceSeconds < 1) {
    errs.push(new FieldError('FieldValueInvalid', 'sinceSeconds', opts.sinceSeconds, 'must be greater than 0'));
  }
  return errs;
}

// Only absence, "false" and "0" are false (apimachinery Convert_Slice_string_To_bool).
function goQueryBool(value: string): boolean {
  const lower = value.toLowerCase();
  return lower !== 'false' && lower !== '0';
}

function goParseInt(value: string): number {
  if (!/^[+-]?\d+$/.test(value)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`);
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw errors.badRequest(`strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`);
  return n;
}

function rfc3339Seconds(value: string): string {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw errors.badRequest(`parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
  }
  // metav1.Time keeps whole seconds.
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z');
}

export async function podLog(ctx: RequestContext, kubelet: KubeletClientConfig): Promise<void> {
  const { namespace, name } = ctx.request;
  const opts = decodePodLogOptions(ctx.query);
  const errs = validatePodLogOptions(opts);
  if (errs.length) throw errors.invalid('', 'PodLogOptions', name, errs);
  const pod = (await ctx.registry.get('', 'pods').get(namespace, name)) as Pod;
  const container = validateContainer(opts.container ?? '', pod);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) {
    // LogLocation gives no location for an unscheduled pod: an empty answer, not an error.
    ctx.res.writeHead(204);
    ctx.res.end();
    return;
  }
  const node = (await ctx.registry.get('', 'nodes').get('', nodeName)) as Node;
  const url = new URL(`https://${kubeletHost(node)}`);
  url.pathname = ['containerLogs', namespace, name, container].map(encodeURIComponent).join('/');
  url.search = agentQuery(opts).toString();
  await proxyLogs(url, kubelet, name, ctx.res);
}

/** strategy.go validateContainer: the only container, or the one named, which must exist. */
export function validateContainer(container: string, pod: Pod): string {
  const name = pod.metadata?.name ?? '';
  const spec = pod.spec;
  if (!container) {
    const regular = spec?.containers ?? [];
    if (regular.length === 1) return regular[0].name;
    if (regular.length === 0) throw errors.badRequest(`a container name must be specified for pod ${name}`);
    throw errors.badRequest(`a container name must be specified for pod ${name}, choose one of: [${allContainers(pod).map((c) => c.name).join(' ')}]`);
  }
  if (!allContainers(pod).some((c) => c.name === container)) throw errors.badRequest(`container ${container} is not valid for pod ${name}`);
  return container;
}

/** podutil.VisitContainers order: init, regular, ephemeral. */
function allContainers(pod: Pod): Pick<Container, 'name'>[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])];
}

/** The agent's query, as LogLocation writes it. */
function agentQuery(opts: PodLogOptions): URLSearchParams {
  const params = new URLSearchParams();
  if (opts.follow) params.set('follow', 'true');
  if (opts.previous) params.set('previous', 'true');
  if (opts.timestamps) params.set('timestamps', 'true');
  if (opts.sinceSeconds !== undefined) params.set('sinceSeconds', String(opts.sinceSeconds));
  if (opts.sinceTime !== undefined) params.set('sinceTime', opts.sinceTime);
  if (opts.tailLines !== undefined) params.set('tailLines', String(opts.tailLines));
  if (opts.limitBytes !== undefined) params.set('limitBytes', String(opts.limitBytes));
  return params;
}

function proxyLogs(url: URL, kubelet: KubeletClientConfig, podName: string, res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const upstream = httpsRequest(url, { method: 'GET', cert: kubelet.cert, key: kubelet.key, rejectUnauthorized: false });
    // The client going away ends the agent's stream too (and with it a follow).
    res.once('close', () => upstream.destroy());
    upstream.once('error', (err: NodeJS.ErrnoException) => {
      if (res.headersSent) {
        res.destroy();
        resolve();
      } else reject(unknownReason(`Get ${JSON.stringify(url.href)}: ${transportMessage(err, url)}`));
    });
    upstream.once('response', (answer) => {
      if (answer.statusCode === undefined || answer.statusCode < 200 || answer.statusCode > 206) {
        readLimited(answer).then((body) => reject(checkResponse(answer.statusCode ?? 500, body, podName)), reject);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      answer.on('data', (chunk: Buffer) => {
        if (!res.write(chunk)) answer.pause();
      });
      res.on('drain', () => answer.resume());
      answer.once('end', () => {
        res.end();
        resolve();
      });
      answer.once('error', () => {
        res.destroy();
        resolve();
      });
    });
    upstream.end();
  });
}

const maxReadLength = 50_000;

async function readLimited(answer: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of answer as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= maxReadLength) break;
  }
  return Buffer.concat(chunks).subarray(0, maxReadLength).toString('utf8');
}

/**
 * genericrest.GenericHttpResponseChecker over the agent's answer. The agent answers with a Status;
 * its message is the text kube-apiserver would have read from the kubelet's plain-text error.
 */
function checkResponse(code: number, body: string, podName: string): ApiError {
  const text = statusMessage(body);
  if (code === 500) return errors.internal(new Error(text));
  if (code === 400) return errors.badRequest(text);
  const gr = 'pods/log';
  const details = { name: podName, group: '', kind: gr };
  const suffix = ` ( ${gr} ${podName})`;
  if (code === 404) return new ApiError('NotFound', 404, `the server could not find the requested resource${suffix}`, details);
  if (code === 401) return new ApiError('Unauthorized', 401, `the server has asked for the client to provide credentials${suffix}`, details);
  if (code === 403) return new ApiError('Forbidden', 403, `${text}${suffix}`, details);
  return unknownReason(`the server responded with the status code ${code} but did not return more information${suffix}`, code, details);
}

function statusMessage(body: string): string {
  try {
    const status = JSON.parse(body) as { kind?: unknown; message?: unknown };
    if (status.kind === 'Status' && typeof status.message === 'string') return status.message;
  } catch {
    // not JSON: the body is the message, as a kubelet's plain-text error is
  }
  return body;
}
