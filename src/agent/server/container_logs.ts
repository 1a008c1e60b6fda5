// GET /containerLogs/{namespace}/{pod}/{container}?tailLines=&sinceSeconds=&sinceTime=&timestamps=
// &limitBytes=&follow=&previous= — the kubelet's log endpoint. The query is the API's
// PodLogOptions (the kubelet's answers to a bad one: 400 "Unable to decode query.", 422
// "Invalid request."); the lookup names the file; the reader streams it, chunked, until done,
// the byte limit, or the client hanging up.
import type { ServerResponse } from 'node:http';
import { ApiError, errors } from '../../api/errors.ts';
import { decodePodLogOptions, validatePodLogOptions, type PodLogOptions } from '../../api/handlers/log.ts';
import { pathExists } from '../../util/fs.ts';
import { logOptionsFrom } from '../logs/options.ts';
import { readContainerLogs } from '../logs/reader.ts';
import { allLogs } from '../logs/rotated.ts';
import { containerLogErrors, ContainerLogError } from './errors.ts';
import type { ContainerLogLookup } from './lookup.ts';
import type { AgentCall, AgentRoute } from './server.ts';

export interface ContainerLogsRouteOptions {
  now?: () => Date;
  /** How often a follower rechecks whether the container still runs (kubelet: 1 s). */
  pollIntervalMs?: number;
}

export function containerLogsRoute(lookup: ContainerLogLookup, options: ContainerLogsRouteOptions = {}): AgentRoute {
  return {
    method: 'GET',
    path: /^\/containerLogs\/(?<namespace>[^/]+)\/(?<pod>[^/]+)\/(?<container>[^/]+)$/,
    serve: (call, res) => serveContainerLogs(lookup, options, call, res),
  };
}

async function serveContainerLogs(lookup: ContainerLogLookup, options: ContainerLogsRouteOptions, call: AgentCall, res: ServerResponse): Promise<void> {
  const apiOptions = decodeQuery(call.query);
  const found = await lookup({
    namespace: call.params.namespace,
    podName: call.params.pod,
    containerName: call.params.container,
    previous: apiOptions.previous ?? false,
  });
  if (found instanceof ContainerLogError) throw found.toApiError();
  const logOptions = logOptionsFrom(apiOptions, (options.now ?? (() => new Date()))());
  const hangup = new AbortController();
  res.once('close', () => hangup.abort());
  await mustExist(found.path);
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Transfer-Encoding': 'chunked' });
  if (call.req.method === 'HEAD') {
    res.end();
    return;
  }
  // Headers go out now, so that a follower with nothing to show yet still gets its answer.
  res.flushHeaders();
  const chunks = readContainerLogs(found, logOptions, { signal: hangup.signal, pollIntervalMs: options.pollIntervalMs });
  try {
    for await (const chunk of chunks) {
      if (!res.write(chunk)) await drained(res, hangup.signal);
      if (hangup.signal.aborted) return;
    }
    res.end();
  } catch (err) {
    // Too late for a Status: cut the stream so the client sees it end badly.
    console.error(`agent: container logs ${found.path}:`, err);
    res.destroy();
  }
}

function decodeQuery(query: URLSearchParams): PodLogOptions {
  const params = new URLSearchParams(query);
  // The kubelet still takes the old "tail" name; "all" means no limit.
  const tail = params.get('tail');
  if (tail) {
    params.delete('tail');
    if (tail !== 'all') params.set('tailLines', tail);
  }
  let decoded: PodLogOptions;
  try {
    decoded = decodePodLogOptions(params);
  } catch (err) {
    if (err instanceof ApiError) throw errors.badRequest('Unable to decode query.');
    throw err;
  }
  if (validatePodLogOptions(decoded).length > 0) throw new ApiError('Invalid', 422, 'Invalid request.');
  return decoded;
}

/**
 * The kubelet resolves the path first; a missing file is its 400, not a broken stream. A log in
 * the middle of a rotation (renamed, not yet reopened) still has its rotated files.
 */
async function mustExist(path: string): Promise<void> {
  if (await pathExists(path)) return;
  // Listed after the miss: a rename that made it has happened by then (it is atomic).
  const present = await Promise.all((await allLogs(path)).map(pathExists));
  if (!present.includes(true)) throw containerLogErrors.logFileMissing(path).toApiError();
}

function drained(res: ServerResponse, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    res.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
