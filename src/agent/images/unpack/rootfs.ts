// A container's root filesystem: an overlayfs of the image's layer snapshots (read-only, shared)
// under a writable upper directory of its own.
//
//   DIR/rootfs  = overlay(lowerdir = snapshot N : … : snapshot 1, upperdir = DIR/upper, workdir = DIR/work)
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export interface Rootfs {
  path: string;
  unmount(): void;
}

// lowerdirs are the image's snapshots bottom layer first, as the manifest lists them.
export function mountRootfs(dir: string, lowerdirs: string[]): Rootfs {
  if (lowerdirs.length === 0) throw new Error('an overlay rootfs needs at least one layer');
  for (const lower of lowerdirs) {
    // overlayfs splits its options on "," and lowerdir on ":".
    if (/[,:]/.test(lower)) throw new Error(`snapshot path ${lower} cannot be an overlay lowerdir`);
  }
  const path = join(dir, 'rootfs');
  for (const sub of ['upper', 'work', 'rootfs']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 });
  const options = `lowerdir=${[...lowerdirs].reverse().join(':')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
  run('mount', ['-t', 'overlay', 'overlay', '-o', options, path]);
  return { path, unmount: () => unmountRootfs(dir) };
}

// Unmounts (if mounted) and removes the container's upper, work and mount point directories.
export function unmountRootfs(dir: string): void {
  const path = join(dir, 'rootfs');
  const result = spawnSync('umount', [path], { encoding: 'utf8' });
  if (result.status !== 0 && !/not mounted|no mount point|not found/i.test(result.stderr)) {
    throw new Error(`umount ${path}: ${result.stderr.trim()}`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')}: ${result.error?.message ?? result.stderr.trim()}`);
  }
}
