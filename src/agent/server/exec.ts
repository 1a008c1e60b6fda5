// GET|POST /exec/{namespace}/{pod}/{container}?command=…&input=1&output=1&error=1&tty=1 and
// /attach/{namespace}/{pod}/{container}?… — the kubelet's remote command endpoints, reached
// through kube-apiserver's upgrade proxy. The container is found before the upgrade; then the
// session (WebSocket or SPDY) carries the process's stdio, terminal sizes and its exit status.
//
//   lookup ─▶ (not found: plain-text 404/500) ─▶ upgrade ─▶ start ─▶ stdin ⇢ process ⇢ stdout/stderr
//          ─▶ exit code | start failure ─▶ Status on the error channel ─▶ close
import type { Duplex } from 'node:stream';
import { once } from 'node:events';
import { acceptRemoteCommand } from '../../streaming/remotecommand/accept.ts';
import type { RemoteCommandSession, StreamOptions } from '../../streaming/remotecommand/session.ts';
import { refuseUpgrade } from '../../streaming/websocket/accept.ts';
import { RuntimeError, type ExecProcess } from '../runtime/runtime.ts';
import type { AgentCall, AgentRoute } from './server.ts';
import { StreamingLookupError, type StreamingContainer, type StreamingHost } from './streaming_host.ts';

type Verb = 'exec' | 'attach';

export function remoteCommandRoutes(host: StreamingHost): AgentRoute[] {
  return (['exec', 'attach'] as const).flatMap((verb) => ['GET', 'POST'].map((method) => ({
    method,
    path: new RegExp(`^/${verb}/(?<namespace>[^/]+)/(?<pod>[^/]+)/(?<container>[^/]+)$`),
    upgrade: (call: AgentCall, socket: Duplex, head: Buffer) => void serve(host, verb, call, socket, head).catch((err: unknown) => {
      console.error(`agent: ${verb} ${call.params.namespace}/${call.params.pod}/${call.params.container}:`, err);
      socket.destroy();
    }),
  })));
}

/** The kubelet's query names (kube-apiserver writes them): input, output, error, tty, command. */
export function streamOptions(query: URLSearchParams): StreamOptions {
  const on = (name: string) => ['1', 'true'].includes((query.get(name) ?? '').toLowerCase());
  const tty = on('tty');
  return { stdin: on('input'), stdout: on('output'), stderr: on('error') && !tty, tty };
}

async function serve(host: StreamingHost, verb: Verb, call: AgentCall, socket: Duplex, head: Buffer): Promise<void> {
  const options = streamOptions(call.query);
  const command = call.query.getAll('command');
  const badRequest = validate(verb, options, command);
  if (badRequest) return refuseUpgrade(socket, 400, 'Bad Request', badRequest);
  const found = await host.container(call.params.namespace!, call.params.pod!, call.params.container!);
  if (found instanceof StreamingLookupError) {
    return refuseUpgrade(socket, found.status, found.status === 404 ? 'Not Found' : 'Internal Server Error', found.message);
  }
  const session = await acceptRemoteCommand(call.req, socket, head, options);
  if (!session) return;
  await run(session, () => start(found, verb, command, options), command);
}

function validate(verb: Verb, options: StreamOptions, command: string[]): string | undefined {
  if (!options.stdin && !options.stdout && !options.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  if (verb === 'exec' && command.length === 0) return 'you must specify at least one command for the container';
  return undefined;
}

function start(container: StreamingContainer, verb: Verb, cmd: string[], options: StreamOptions): Promise<ExecProcess> {
  const execOptions = { cmd, tty: options.tty, stdin: options.stdin };
  return verb === 'exec' ? container.exec(execOptions) : container.attach(execOptions);
}

/** Connects the process to the session until it ends (or the client leaves), then reports how it ended. */
async function run(session: RemoteCommandSession, begin: () => Promise<ExecProcess>, command: string[]): Promise<void> {
  let proc: ExecProcess;
  try {
    proc = await begin();
  } catch (err) {
    await session.finish({ error: failureMessage(err) });
    return;
  }
  session.onResize((size) => void proc.resize(size));
  void session.closed.then(() => proc.kill());
  if (session.stdin && proc.stdin) {
    proc.stdin.on('error', () => undefined); // the process may exit before reading everything
    session.stdin.pipe(proc.stdin as NodeJS.WritableStream & Duplex);
  }
  const outputs = [copy(proc.stdout, session.stdout), proc.stderr ? copy(proc.stderr, session.stderr) : undefined];
  await Promise.all(outputs);
  try {
    await session.finish({ exitCode: await proc.exited, command });
  } catch (err) {
    await session.finish({ error: failureMessage(err) });
  }
}

/**
 * Copies all of `from` into `to` (or drops it when the client did not ask for it). `to` stays
 * open: the session ends it after the last chunk is out (stream.pipeline would destroy it, and
 * with it what it still buffers).
 */
async function copy(from: NodeJS.ReadableStream, to: NodeJS.WritableStream | undefined): Promise<void> {
  const ended = once(from as NodeJS.EventEmitter, 'end').catch(() => undefined);
  if (to) from.pipe(to, { end: false });
  else from.resume();
  await ended;
}

function failureMessage(err: unknown): string {
  if (err instanceof RuntimeError) return `error executing command in container: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
