// Which network namespace a path names, by device and inode. A sandbox's path is /proc/PID/ns/net:
// once the infra process is gone the PID may belong to someone else, and a DEL there would take
// eth0 out of a stranger's namespace. DEL enters a namespace only if it is the one ADD configured.

import { stat } from 'node:fs/promises';
import type { NetnsIdentity } from './cni/cache.ts';

export async function identifyNetns(path: string): Promise<NetnsIdentity | undefined> {
  if (path === '') return undefined;
  try {
    const s = await stat(path);
    return { path, dev: s.dev, ino: s.ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * The netns path to give DEL: the requested one if it still names the namespace of the ADD
 * (or, without a record of the ADD, if it exists at all); otherwise '' — "the namespace is gone",
 * which every plugin of the list handles by releasing host-side state only.
 */
export async function netnsForDelete(requested: string, added: NetnsIdentity | undefined): Promise<string> {
  const now = await identifyNetns(requested);
  if (!now) return '';
  if (added && (added.dev !== now.dev || added.ino !== now.ino)) return '';
  return requested;
}
