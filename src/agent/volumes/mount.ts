// The host's mount table and the mount(8)/umount(8) calls the volume plugins need. Node has no
// mount(2), so the util-linux commands do the work; /proc/self/mountinfo is the truth that makes
// every step idempotent and lets tearDown work after an agent restart.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface MountInfo {
  mountPoint: string;
  fsType: string;
}

/** The current mounts of this process's mount namespace, in mount order. */
export function listMounts(): MountInfo[] {
  const mounts: MountInfo[] = [];
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    if (line === '') continue;
    // "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS"
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    mounts.push({ mountPoint: unescapeMountField(fields[4] ?? ''), fsType: fields[separator + 1] ?? '' });
  }
  return mounts;
}

/** The kernel escapes space, tab, newline and backslash as \ooo in mountinfo. */
function unescapeMountField(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** The filesystem type mounted exactly at path (the topmost mount), or undefined. */
export function mountedFsType(path: string): string | undefined {
  return listMounts().findLast((m) => m.mountPoint === path)?.fsType;
}

/** Mount points at or below dir, deepest first: the order in which they can be unmounted. */
export function mountsUnder(dir: string): string[] {
  const inside = listMounts().map((m) => m.mountPoint).filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(inside)].sort((a, b) => b.length - a.length);
}

export function mountTmpfs(dir: string, sizeBytes: number | undefined): void {
  const options = sizeBytes !== undefined && sizeBytes > 0 ? ['-o', `size=${sizeBytes}`] : [];
  run('mount', ['-t', 'tmpfs', ...options, 'tmpfs', dir]);
}

/**
 * Bind-mounts what an open file descriptor of this process refers to. --no-canonicalize keeps
 * mount(8) from resolving /proc/PID/fd/N to a path name, which could be swapped meanwhile.
 */
export function bindMountFd(fd: number, target: string): void {
  run('mount', ['--no-canonicalize', '--bind', `/proc/${process.pid}/fd/${fd}`, target]);
}

/** Unmounts every mount stacked at path; "not mounted" is success. */
export function unmount(path: string): void {
  while (listMounts().some((m) => m.mountPoint === path)) run('umount', [path]);
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`);
  }
}
