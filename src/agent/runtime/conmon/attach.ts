// Attaching to a container through conmon, as CRI-O and podman do. conmon serves the container's
// stdio on a SOCK_SEQPACKET unix socket in the bundle (BUNDLE/attach): every packet it sends is
// [pipe byte: 2 stdout, 3 stderr][data], and what a client sends goes to the container's stdin
// (when it was started with --stdin). Terminal sizes go to the bundle's ctl fifo (ctl.ts). The
// relay runs in the bundle and connects to "attach": a socket address holds 108 bytes, which a
// data dir's absolute path (even through conmon's socketDir/ID link) may exceed.
//
//   agent ══pipes══▶ perl relay ══SEQPACKET══▶ conmon ══▶ container's stdio
//
// Node cannot open a SEQPACKET socket; perl (perl-base is Essential in Debian, always there) can,
// and its Socket module has SOCK_SEQPACKET. The relay keeps packet boundaries by writing each
// packet to its stdout as [u32 length][packet].
import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import type { ContainerStdio } from '../records.ts';
import type { ExecProcess } from '../runtime.ts';
import { RuntimeError } from '../runtime.ts';
import { terminalResizer } from './ctl.ts';

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
  /** The container's bundle, where conmon made its attach socket and ctl fifo. */
  bundleDir: string;
  /** How the container was created: its stdin and terminal. */
  stdio: ContainerStdio;
  /** The client sends input. */
  stdin: boolean;
}

export async function conmonAttach(input: ConmonAttachInput): Promise<ExecProcess> {
  // Input reaches only a container with a stdin; conmon would drop it anyway.
  const withInput = input.stdin && input.stdio.stdin === true;
  const relay = spawn('perl', ['-e', relayScript, 'attach', withInput ? '1' : '0'], { cwd: input.bundleDir, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout = new PassThrough();
  const stderr = input.stdio.tty === true ? undefined : new PassThrough();
  let failure = '';
  relay.stderr.setEncoding('utf8').on('data', (text: string) => (failure += text));
  demux(relay.stdout, (pipe, data) => {
    if (pipe === STDOUT_PIPE || pipe === STDERR_PIPE) (pipe === STDERR_PIPE && stderr ? stderr : stdout).write(data);
  });
  const resizer = terminalResizer(input.bundleDir);
  const exited = new Promise<number>((resolve, reject) => {
    relay.once('error', (err) => reject(new RuntimeError('Failed', `attach: ${err.message}`)));
    relay.once('close', (code, signal) => {
      resizer.stop();
      stdout.end();
      stderr?.end();
      if (code !== 0 && signal === null) reject(new RuntimeError('Failed', `attach: ${failure.trim() || `relay exited with ${code}`}`));
      else resolve(0);
    });
  });
  exited.catch(() => undefined);
  if (!withInput) relay.stdin.end();
  relay.stdin.on('error', () => undefined);
  return {
    stdin: withInput ? relay.stdin : undefined,
    stdout,
    stderr,
    resize: (size) => resizer.resize(size),
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
