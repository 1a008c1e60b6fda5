// An exec/attach session over SPDY/3.1 (kubectl ≤1.29, and the fallback of newer ones): the
// client opens one stream per channel, named by its `streamtype` header (error, stdin, stdout,
// stderr, resize), each after the reply to the one before. The session starts once every stream
// the query asked for is there (kubelet: within 30 s). It ends with the Status on the error
// stream, every stream half-closed, and the connection closed.
import { SpdyConnection } from '../spdy/connection.ts';
import type { SpdyStream } from '../spdy/stream.ts';
import { encodeCommandStatus } from './status.ts';
import { parseTerminalSize, type RemoteCommandSession, type StreamOptions, type TerminalSize } from './session.ts';
import type { Duplex } from 'node:stream';

/** In the client's order of preference; v1–v3 (plain-text errors) are not spoken. */
export const spdyProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const streamCreationTimeoutMs = 30_000;

type StreamType = 'error' | 'stdin' | 'stdout' | 'stderr' | 'resize';

export class StreamCreationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StreamCreationError';
  }
}

/** Waits for the client's streams on a connection already switched to SPDY. */
export function spdySession(transport: Duplex, options: StreamOptions, timeoutMs = streamCreationTimeoutMs): Promise<RemoteCommandSession> {
  const wanted = new Set<StreamType>(['error']);
  if (options.stdin) wanted.add('stdin');
  if (options.stdout) wanted.add('stdout');
  if (options.stderr && !options.tty) wanted.add('stderr');
  if (options.tty) wanted.add('resize');
  const streams = new Map<StreamType, SpdyStream>();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.close();
      reject(new StreamCreationError('timed out waiting for client to create streams'));
    }, timeoutMs);
    const connection = new SpdyConnection(transport, (stream) => {
      const type = stream.headers.streamtype as StreamType | undefined;
      if (type === undefined || !wanted.has(type) || streams.has(type)) {
        stream.reset();
        return;
      }
      stream.reply();
      streams.set(type, stream);
      if (streams.size < wanted.size) return;
      clearTimeout(timer);
      resolve(sessionOf(connection, streams));
    });
    connection.closed.then(() => {
      clearTimeout(timer);
      reject(new StreamCreationError('connection closed before the streams were created'));
    }, () => undefined);
  });
}

function sessionOf(connection: SpdyConnection, streams: Map<StreamType, SpdyStream>): RemoteCommandSession {
  const resizeListeners: ((size: TerminalSize) => void)[] = [];
  readResizes(streams.get('resize'), (size) => resizeListeners.forEach((listener) => listener(size)));
  const error = streams.get('error')!;
  return {
    stdin: streams.get('stdin'),
    stdout: streams.get('stdout'),
    stderr: streams.get('stderr'),
    onResize: (listener) => void resizeListeners.push(listener),
    async finish(result) {
      error.write(encodeCommandStatus(result));
      const ends = (['stdout', 'stderr', 'error'] as const).map((type) => streams.get(type)).filter((s) => s !== undefined);
      await Promise.all(ends.map((s) => new Promise<void>((resolve) => s.end(() => resolve()))));
      connection.close();
      await connection.closed;
    },
    closed: connection.closed,
  };
}

/** The resize stream carries one JSON size per line. */
function readResizes(stream: SpdyStream | undefined, onSize: (size: TerminalSize) => void): void {
  if (!stream) return;
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (text: string) => {
    pending += text;
    for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
      const size = parseTerminalSize(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      if (size) onSize(size);
    }
  });
}
