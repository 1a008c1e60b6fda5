// Device nodes, whiteouts and opaque markers need mknod(2) and lsetxattr(2), which Node does not
// expose. One perl process per layer makes them all (perl-base is in every Debian system);
// the syscall numbers are x86_64's, the platform images are pulled for.
import { spawnSync } from 'node:child_process';

export type SpecialFile =
  | { kind: 'whiteout'; path: string } // overlayfs: a 0/0 character device hides the lower entry
  | { kind: 'opaque'; path: string } // overlayfs: trusted.overlay.opaque=y hides the lower directory's content
  | { kind: 'char' | 'block' | 'fifo'; path: string; mode: number; major: number; minor: number };

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

// mknod=133, lsetxattr=189 on x86_64. Each input line: "n MODE DEV PATH" or "x PATH".
const script = `
use strict;
while (my $line = <STDIN>) {
  chomp $line;
  my ($op, $rest) = split / /, $line, 2;
  if ($op eq 'n') {
    my ($mode, $dev, $path) = split / /, $rest, 3;
    syscall(133, $path, $mode + 0, $dev + 0) == 0 or die "mknod $path: $!\\n";
  } else {
    my ($name, $value) = ('trusted.overlay.opaque', 'y');
    syscall(189, $rest, $name, $value, length($value), 0) == 0 or die "lsetxattr $rest: $!\\n";
  }
}
`;

export function makeSpecialFiles(files: SpecialFile[]): void {
  if (files.length === 0) return;
  const lines = files.map((file) => {
    if (/[\n]/.test(file.path)) throw new Error(`special file name with a newline: ${JSON.stringify(file.path)}`);
    switch (file.kind) {
      case 'whiteout': return `n ${S_IFCHR} 0 ${file.path}`;
      case 'opaque': return `x ${file.path}`;
      case 'char': return `n ${S_IFCHR | (file.mode & 0o7777)} ${encodeDevice(file.major, file.minor)} ${file.path}`;
      case 'block': return `n ${S_IFBLK | (file.mode & 0o7777)} ${encodeDevice(file.major, file.minor)} ${file.path}`;
      case 'fifo': return `n ${S_IFIFO | (file.mode & 0o7777)} 0 ${file.path}`;
    }
  });
  const result = spawnSync('perl', ['-e', script], { input: `${lines.join('\n')}\n`, encoding: 'utf8' });
  if (result.error !== undefined) throw new Error(`making device nodes and whiteouts: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`making device nodes and whiteouts: ${result.stderr.trim()}`);
}

// The kernel's new_encode_dev, as mknod(2) takes a dev_t.
function encodeDevice(major: number, minor: number): number {
  return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
}
