// An exec/attach session over WebSocket, subprotocol v5.channel.k8s.io (or v4): every binary
// message is [channel][payload]. 0 stdin, 1 stdout, 2 stderr, 3 the closing Status, 4 terminal
// sizes, 255 + channel: the client closed that channel (v5; kubectl sends FF 00 at stdin's end).
// The session ends with the Status on channel 3 and a close frame 1000: kubectl reads anything
// else as "error reading from error stream".
import { PassThrough, Writable } from 'node:stream';
import type { WebSocket } from 'ws';
import { encodeCommandStatus } from './status.ts';
import { parseTerminalSize, type RemoteCommandSession, type StreamOptions, type TerminalSize } from './session.ts';

export const websocketProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export function websocketSession(ws: WebSocket, options: StreamOptions): RemoteCommandSession {
  const stdin = options.stdin ? new PassThrough() : undefined;
  const resizeListeners: ((size: TerminalSize) => void)[] = [];
  const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
  closed.then(() => stdin?.end(), () => undefined);
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (!isBinary || data.length === 0) return;
    const payload = data.subarray(1);
    if (data[0] === STDIN) stdin?.write(payload);
    else if (data[0] === RESIZE) {
      const size = parseTerminalSize(payload.toString('utf8'));
      if (size) for (const listener of resizeListeners) listener(size);
    } else if (data[0] === CLOSE && payload[0] === STDIN) stdin?.end();
  });
  const stdout = options.stdout ? channelWriter(ws, STDOUT) : undefined;
  const stderr = options.stderr && !options.tty ? channelWriter(ws, STDERR) : undefined;
  return {
    stdin,
    stdout,
    stderr,
    onResize: (listener) => void resizeListeners.push(listener),
    async finish(result) {
      // Everything written on stdout/stderr goes out before the status that ends the session.
      await Promise.all([stdout, stderr].map((w) => (w ? new Promise<void>((resolve) => w.end(() => resolve())) : undefined)));
      if (ws.readyState === ws.OPEN) {
        ws.send(Buffer.concat([Buffer.from([ERROR]), encodeCommandStatus(result)]));
        ws.close(1000);
      }
      await closed;
    },
    closed,
  };
}

/** A Writable whose chunks go out as messages on one channel; a write completes once sent. */
function channelWriter(ws: WebSocket, channel: number): Writable {
  const prefix = Buffer.from([channel]);
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (ws.readyState !== ws.OPEN) {
        done();
        return;
      }
      ws.send(Buffer.concat([prefix, chunk]), { binary: true }, () => done());
    },
  });
}
