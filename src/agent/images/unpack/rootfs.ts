// A container's root filesystem: an overlayfs of the image's layer snapshots (read-only, shared)
// under a writable upper directory of its own. mount(2) and umount(2) are the launcher's helper's,
// never synchronous: one blocked event loop would hold up every pod of the node and the API server.
//
//   DIR/rootfs  = overlay(lowerdir = snapshot N : … : snapshot 1, upperdir = DIR/upper, workdir = DIR/work)
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mount, unmount } from '../../launcher/syscalls.ts';

export interface Rootfs {
  path: string;
  unmount(): Promise<void>;
}

// lowerdirs are the image's snapshots bottom layer first, as the manifest lists them.
export async function mountRootfs(dir: string, lowerdirs: string[]): Promise<Rootfs> {
  if (lowerdirs.length === 0) throw new Error('an overlay rootfs needs at least one layer');
  for (const lower of lowerdirs) {
    // overlayfs splits its options on "," and lowerdir on ":".
    if (/[,:]/.test(lower)) throw new Error(`snapshot path ${lower} cannot be an overlay lowerdir`);
  }
  const path = join(dir, 'rootfs');
  for (const sub of ['upper', 'work', 'rootfs']) await mkdir(join(dir, sub), { recursive: true, mode: 0o755 });
  const options = `lowerdir=${[...lowerdirs].reverse().join(':')},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`;
  await mount({ source: 'overlay', target: path, fstype: 'overlay', data: options }).catch((err: Error) => {
    throw new Error(`mounting the overlay rootfs: ${err.message}`, { cause: err });
  });
  return { path, unmount: () => unmountRootfs(dir) };
}

// Unmounts (if mounted) and removes the container's upper, work and mount point directories.
export async function unmountRootfs(dir: string): Promise<void> {
  const path = join(dir, 'rootfs');
  await unmount(path).catch((err: Error) => {
    throw new Error(`unmounting the rootfs: ${err.message}`, { cause: err });
  });
  await rm(dir, { recursive: true, force: true });
}
