// The host's mount table and the mounts the volume plugins make. Node has no mount(2): the
// launcher's helper makes the calls (launcher/syscalls.ts), never a synchronous mount(8) that would
// stop the event loop of the node and the API server. /proc/self/mountinfo is the truth that makes
// every step idempotent and lets tearDown work after an agent restart.
import { readFileSync } from 'node:fs';
import { mount, unmount } from '../launcher/syscalls.ts';

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

export async function mountTmpfs(dir: string, sizeBytes: number | undefined): Promise<void> {
  await mount({ source: 'tmpfs', target: dir, fstype: 'tmpfs', data: sizeBytes !== undefined && sizeBytes > 0 ? `size=${sizeBytes}` : '' });
}

/**
 * Bind-mounts what an open file descriptor of this process refers to: the kernel follows
 * /proc/PID/fd/N to the open file itself, not to a path name that could be swapped meanwhile.
 */
export async function bindMountFd(fd: number, target: string): Promise<void> {
  await mount({ source: `/proc/${process.pid}/fd/${fd}`, target, fstype: 'none', flags: ['bind'] });
}

/** Unmounts every mount stacked at path; "not mounted" is success. */
export async function unmountStacked(path: string): Promise<void> {
  while (await unmount(path));
}
