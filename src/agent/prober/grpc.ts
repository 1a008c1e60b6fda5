// The grpc probe: grpc.health.v1.Health/Check over HTTP/2 without TLS (h2c), as the kubelet's
// grpc prober asks it, with its messages. The request and response are one-field protobufs:
//   HealthCheckRequest  { string service = 1; }
//   HealthCheckResponse { ServingStatus status = 1; }  UNKNOWN 0, SERVING 1, NOT_SERVING 2, SERVICE_UNKNOWN 3
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { goDuration } from '../duration.ts';
import { joinHostPort } from './port.ts';
import type { ProbeOutcome } from './outcome.ts';

const servingStatuses = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];
const grpcUnimplemented = '12';

export async function grpcProbe(host: string, port: number, service: string, timeoutMs: number): Promise<ProbeOutcome> {
  const address = joinHostPort(host, port);
  const within = goDuration(timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const session = await connectWithin(address, deadline);
  if (session === undefined) return { result: 'Failure', output: `timeout: failed to connect service ${JSON.stringify(address)} within ${within}: context deadline exceeded` };
  try {
    const answer = await check(session, service, deadline - Date.now());
    if (answer === 'timeout') return { result: 'Failure', output: `timeout: health rpc did not complete within ${within}` };
    if ('error' in answer) return { result: 'Failure', output: answer.error };
    if (answer.status !== 1) return { result: 'Failure', output: `service unhealthy (responded with ${JSON.stringify(servingStatuses[answer.status] ?? String(answer.status))})` };
    return { result: 'Success', output: 'service healthy' };
  } finally {
    session.destroy();
  }
}

/** Like grpc-go's blocking dial: refused connections are retried until the deadline. */
async function connectWithin(address: string, deadline: number): Promise<ClientHttp2Session | undefined> {
  while (Date.now() < deadline) {
    const session = await new Promise<ClientHttp2Session | undefined>((resolve) => {
      const s = connect(`http://${address}`);
      const timer = setTimeout(() => { s.destroy(); resolve(undefined); }, Math.max(0, deadline - Date.now()));
      s.once('connect', () => { clearTimeout(timer); resolve(s); });
      s.once('error', () => { clearTimeout(timer); s.destroy(); resolve(undefined); });
    });
    if (session !== undefined) return session;
    await new Promise((r) => setTimeout(r, Math.min(100, Math.max(0, deadline - Date.now()))));
  }
  return undefined;
}

type CheckAnswer = 'timeout' | { status: number } | { error: string };

function check(session: ClientHttp2Session, service: string, timeoutMs: number): Promise<CheckAnswer> {
  return new Promise((resolve) => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST', [constants.HTTP2_HEADER_PATH]: '/grpc.health.v1.Health/Check',
      'content-type': 'application/grpc', te: 'trailers', 'user-agent': 'kube-probe/1.32', 'grpc-timeout': `${Math.max(1, timeoutMs)}m`,
    });
    const timer = setTimeout(() => { stream.close(); resolve('timeout'); }, Math.max(0, timeoutMs));
    const chunks: Buffer[] = [];
    let grpcStatus: string | undefined;
    let grpcMessage = '';
    const onHeaders = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined) grpcStatus = String(headers['grpc-status']);
      if (headers['grpc-message'] !== undefined) grpcMessage = decodeURIComponent(String(headers['grpc-message']));
    };
    stream.on('response', onHeaders);
    stream.on('trailers', onHeaders);
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', (err) => { clearTimeout(timer); resolve({ error: `error: health rpc probe failed: ${err.message}` }); });
    stream.once('end', () => {
      clearTimeout(timer);
      resolve(answerOf(grpcStatus, grpcMessage, Buffer.concat(chunks)));
    });
    stream.end(grpcFrame(service));
  });
}

function answerOf(grpcStatus: string | undefined, grpcMessage: string, body: Buffer): CheckAnswer {
  if (grpcStatus === grpcUnimplemented) return { error: `error: this server does not implement the grpc health protocol (grpc.health.v1.Health): ${grpcMessage}` };
  if (grpcStatus !== '0') return { error: `error: health rpc probe failed: rpc error: code = ${grpcStatus ?? 'Unknown'} desc = ${grpcMessage}` };
  return { status: servingStatus(body.subarray(5)) };
}

/** The 5-byte gRPC message prefix (no compression, big-endian length) and HealthCheckRequest. */
function grpcFrame(service: string): Buffer {
  const name = Buffer.from(service);
  const message = name.length === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x0a, ...varint(name.length)]), name]);
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** A protobuf varint: 7 bits a byte, low first, the high bit saying more follow. */
function varint(n: number): number[] {
  const bytes: number[] = [];
  for (; n >= 0x80; n >>>= 7) bytes.push((n & 0x7f) | 0x80);
  bytes.push(n);
  return bytes;
}

/** Field 1 (varint) of HealthCheckResponse; absent is UNKNOWN (0), as proto3 omits defaults. */
function servingStatus(message: Buffer): number {
  for (let i = 0; i + 1 < message.length;) {
    const tag = message[i]!;
    if (tag === 0x08) return message[i + 1]!;
    i += 2;
  }
  return 0;
}
