// A gRPC health server in busybox sh for the grpc probe tests: `nc -ll` hands each connection to
// a script that reads the client's HTTP/2 frames byte by byte (dd bs=1, as a buffered read could
// swallow the next frame) until the request ends, acknowledges SETTINGS, then writes canned
// frames: HEADERS (:status 200, content-type application/grpc), DATA (HealthCheckResponse SERVING,
// or NOT_SERVING while FILE exists) and trailers (grpc-status 0). One request per connection, as
// the prober opens one per probe; the request's service name is not read.

/** HTTP/2 frame types and flags used below. */
const DATA = 0, HEADERS = 1, SETTINGS = 4;
const END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;

function frame(type: number, flags: number, stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9);
  header.writeUIntBE(payload.length, 0, 3);
  header[3] = type;
  header[4] = flags;
  header.writeUInt32BE(stream, 5);
  return Buffer.concat([header, payload]);
}

/** An HPACK literal header field without indexing, new name. */
function literal(name: string, value: string): Buffer {
  return Buffer.concat([Buffer.from([0x00, name.length]), Buffer.from(name), Buffer.from([value.length]), Buffer.from(value)]);
}

/** printf's octal escapes of the bytes. */
function octal(bytes: Buffer): string {
  return [...bytes].map((b) => `\\${b.toString(8).padStart(3, '0')}`).join('');
}

function response(servingStatus: number): string {
  const headers = frame(HEADERS, END_HEADERS, 1, Buffer.concat([Buffer.from([0x88]), literal('content-type', 'application/grpc')]));
  const data = frame(DATA, 0, 1, Buffer.from([0, 0, 0, 0, 2, 0x08, servingStatus]));
  const trailers = frame(HEADERS, END_STREAM | END_HEADERS, 1, literal('grpc-status', '0'));
  return octal(Buffer.concat([headers, data, trailers]));
}

/** The shell command of a container serving gRPC health on PORT, NOT_SERVING while FILE exists. */
export function grpcHealthServer(port: number, notServingFile: string): string {
  const connection = [
    '#!/bin/sh',
    `printf '${octal(frame(SETTINGS, 0, 0, Buffer.alloc(0)))}'`,
    'dd bs=1 count=24 >/dev/null 2>&1',
    'while :; do',
    '  set -- $(dd bs=1 count=9 2>/dev/null | od -An -tu1)',
    '  [ $# -eq 9 ] || exit 0',
    '  len=$(( ($1 << 16) + ($2 << 8) + $3 )); type=$4; flags=$5',
    '  [ $len -gt 0 ] && dd bs=1 count=$len >/dev/null 2>&1',
    `  [ $type = ${SETTINGS} ] && [ $(( flags & ${ACK} )) = 0 ] && printf '${octal(frame(SETTINGS, ACK, 0, Buffer.alloc(0)))}'`,
    `  [ $(( flags & ${END_STREAM} )) = 1 ] && { [ $type = ${DATA} ] || [ $type = ${HEADERS} ]; } && break`,
    'done',
    `if [ -e ${notServingFile} ]; then printf '${response(2)}'; else printf '${response(1)}'; fi`,
    'sleep 1',
  ].join('\n');
  return `printf '%s\\n' '${connection.replaceAll("'", "'\\''")}' > /tmp/grpc-connection.sh && chmod +x /tmp/grpc-connection.sh && nc -ll -p ${port} -e /tmp/grpc-connection.sh`;
}
