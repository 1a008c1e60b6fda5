// Attaching to a container through conmon, as CRI-O and podman do. conmon serves the container's
// stdio on a SOCK_SEQPACKET unix socket (socketDir/ID/attach): every packet it sends is
// [pipe byte: 2 stdout, 3 stderr][data], and what a client sends goes to the container's stdin
// (when it was started with --stdin). Terminal sizes go to the bundle's ctl fifo as
// "1 HEIGHT WIDTH\n".
//
//   agent ══pipes══▶ perl relay ══SEQPACKET══▶ conmon ══▶ container's stdio
//
// Node cannot open a SEQPACKET socket; perl (perl-base is Essential in Debian, always there) can,
// and its Socket module has SOCK_SEQPACKET. The relay keeps packet boundaries by writing each
// packet to its stdout as [u32 length][packet].
import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import type { AttachOptions, ExecProcess, TerminalSize } from '../runtime.ts';
import { RuntimeError } from '../runtime.ts';

const relayScript = `
use strict; use Socket;
socket(my $s, AF_UNIX, SOCK_SEQPACKET, 0) or die "socket: $!\\n";
connect($s, pack_sockaddr_un($ARGV[0])) or die "connect $ARGV[0]: $!\\n";
binmode STDOUT; binmode STDIN; $| = 1;
my $in_open = $ARGV[1];
while (1) {
  my $rin = ''; vec($rin, fileno($s), 1) = 1; vec($rin, fileno(STDIN), 1) = 1 if $in_open;
  my $n = select(my $rout = $rin, undef, undef, undef);
  next if $n < 0 && $!{EINTR};
  if (vec($rout, fileno($s), 1)) {
    my $got = sysread($s, my $packet, 65536);
    last unless $got;
    print pack('N', $got), $packet;
  }
  if ($in_open && vec($rout, fileno(STDIN), 1)) {
    my $got = sysread(STDIN, my $buf, 8192);
    if (!$got) { shutdown($s, 1); $in_open = 0; next }
    defined(send($s, $buf, 0)) or last;
  }
}`;

const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;

export interface ConmonAttachInput {
  socketPath: string;
  ctlPath: string;
  options: AttachOptions;
}

export async function conmonAttach(input: ConmonAttachInput): Promise<ExecProcess> {
  const { options } = input;
  const relay = spawn('perl', ['-e', relayScript, input.socketPath, options.stdin === true ? '1' : '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = new PassThrough();
  const stderr = options.tty === true ? undefined : new PassThrough();
  let failure = '';
  relay.stderr.setEncoding('utf8').on('data', (text: string) => (failure += text));
  demux(relay.stdout, (pipe, data) => {
    if (pipe === STDOUT_PIPE || pipe === STDERR_PIPE) (pipe === STDERR_PIPE && stderr ? stderr : stdout).write(data);
  });
  const exited = new Promise<number>((resolve, reject) => {
    relay.once('error', (err) => reject(new RuntimeError('Failed', `attach: ${err.message}`)));
    relay.once('close', (code, signal) => {
      stdout.end();
      stderr?.end();
      if (code !== 0 && signal === null) reject(new RuntimeError('Failed', `attach: ${failure.trim() || `relay exited with ${code}`}`));
      else resolve(0);
    });
  });
  exited.catch(() => undefined);
  if (options.stdin !== true) relay.stdin.end();
  relay.stdin.on('error', () => undefined);
  return {
    stdin: options.stdin === true ? relay.stdin : undefined,
    stdout,
    stderr,
    resize: (size) => resize(input.ctlPath, size),
    exited,
    kill: () => {
      if (relay.exitCode === null && relay.signalCode === null) relay.kill('SIGKILL');
    },
  };
}

/** [u32 length][pipe byte][data] records from the relay → (pipe, data). */
function demux(from: NodeJS.ReadableStream, onPacket: (pipe: number, data: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  from.on('data', (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= 4 && pending.length >= 4 + pending.readUInt32BE(0)) {
      const length = pending.readUInt32BE(0);
      const packet = pending.subarray(4, 4 + length);
      pending = pending.subarray(4 + length);
      if (packet.length > 1) onPacket(packet[0]!, Buffer.from(packet.subarray(1)));
    }
  });
}

/** conmon's control fifo: "1 HEIGHT WIDTH" resizes its terminal (a no-op without one). */
async function resize(ctlPath: string, size: TerminalSize): Promise<void> {
  await appendFile(ctlPath, `1 ${size.height} ${size.width}\n`).catch(() => undefined);
}
