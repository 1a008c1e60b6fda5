// Port forwarding over a SPDY connection (apimachinery portforward.k8s.io, kubelet httpstream
// handler). Each local connection of kubectl's is a pair of streams sharing a `requestid`:
//
//   error stream {streamtype: error, port, requestid}  ─┐ both replied at once
//   data stream  {streamtype: data,  port, requestid}  ─┴▶ dial the pod's port
//        data ⇄ connection; the pod side ends ─▶ FIN on data, FIN on error
//        the client's FIN on data ─▶ end of the connection's input; RST ─▶ connection closed
//   dial failure ─▶ the kubelet's message on the error stream, then FIN on both
//
// kubectl ends its whole port-forward when an error stream carries any text, so only a failure
// to reach the port is written there.
import type { Readable, Writable } from 'node:stream';
import { SpdyConnection } from '../spdy/connection.ts';
import type { SpdyStream } from '../spdy/stream.ts';
import type { Duplex } from 'node:stream';

/** A connection to a port inside the pod. */
export interface PodConnection {
  /** To the pod's port; ending it half-closes the connection. */
  readonly input: Writable;
  readonly output: Readable;
  /** Resolves once the connection is over: undefined, or why it failed (e.g. connection refused). */
  readonly ended: Promise<string | undefined>;
  close(): void;
}

export type PortDialer = (port: number) => PodConnection;

export interface ForwardTarget {
  /** For messages: "error forwarding port P to pod NAME, uid UID: …". */
  podName: string;
  podUid: string;
  dial: PortDialer;
}

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
}

export function servePortForward(transport: Duplex, target: ForwardTarget): SpdyConnection {
  const pairs = new Map<string, Pair>();
  return new SpdyConnection(transport, (stream) => {
    const { streamtype: type, requestid: requestId = '' } = stream.headers;
    if (type !== 'error' && type !== 'data') {
      stream.reset();
      return;
    }
    stream.reply();
    const pair = pairs.get(requestId) ?? {};
    if (pair[type]) {
      stream.reset();
      return;
    }
    pair[type] = stream;
    pairs.set(requestId, pair);
    if (pair.error && pair.data) {
      pairs.delete(requestId);
      void forward(pair.error, pair.data, target);
    }
  });
}

async function forward(error: SpdyStream, data: SpdyStream, target: ForwardTarget): Promise<void> {
  // kubectl half-closes the error stream at once; what it sent does not matter.
  error.resume();
  const portText = data.headers.port ?? '';
  const port = /^\d+$/.test(portText) ? Number(portText) : Number.NaN;
  if (!(port > 0 && port < 65536)) {
    fail(error, data, `unable to parse '${portText}' as a port: strconv.ParseUint: parsing ${JSON.stringify(portText)}: invalid syntax`);
    return;
  }
  const connection = target.dial(port);
  data.pipe(connection.input);
  connection.output.pipe(data, { end: false });
  data.once('close', () => connection.close());
  connection.input.on('error', () => undefined);
  const failure = await connection.ended;
  if (failure !== undefined) {
    fail(error, data, `error forwarding port ${port} to pod ${target.podName}, uid ${target.podUid}: ${failure}`);
    return;
  }
  data.end();
  error.end();
}

function fail(error: SpdyStream, data: SpdyStream, message: string): void {
  error.end(message);
  data.end();
}
