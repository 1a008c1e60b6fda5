// Where a tar entry may land. Names are cleaned lexically ("/a", "../a" and "a/../../a" all mean
// root/a), and the directories above an entry are resolved with symlinks followed as if root
// were "/" (an absolute target restarts at root, ".." stops at root) — the way the container will
// see them. The entry's own last component is never followed: it is replaced. So neither names
// nor symlinks planted by the layer can lead a write out of the snapshot.
// A layer applies on top of the layers below it: a directory this layer does not have is looked
// up in its parents' snapshots (top first, a whiteout ends the search), so that a lower layer's
// "lib -> usr/lib" sends this layer's "lib/x" to "usr/lib/x", as it would in the merged rootfs.
import { lstatSync, readlinkSync } from 'node:fs';
import { join, posix } from 'node:path';

export class UnsafePathError extends Error {
  constructor(name: string, why: string) {
    super(`layer entry ${JSON.stringify(name)}: ${why}`);
    this.name = 'UnsafePathError';
  }
}

const maxSymlinks = 40; // as the kernel's MAXSYMLINKS

// The cleaned components of an entry name, relative to the snapshot root.
function cleanName(name: string): string[] {
  if (name.includes('\u0000')) throw new UnsafePathError(name, 'NUL in name');
  return posix.normalize(`/${name}`).split('/').filter((part) => part !== '');
}

// The host path of the directory that holds the entry, and the entry's own name in it.
// parents are the snapshots below root, bottom first.
export function entryLocation(root: string, name: string, parents: readonly string[] = []): { parent: string; base: string } {
  const parts = cleanName(name);
  const base = parts.pop();
  if (base === undefined) throw new UnsafePathError(name, 'names the root itself');
  return { parent: resolveScoped(root, parts, name, parents), base };
}

// Resolves components under root, following symlinks (of root or its parents) scoped to root.
function resolveScoped(root: string, parts: string[], name: string, parents: readonly string[]): string {
  const layers = [root, ...[...parents].reverse()];
  const pending = [...parts];
  const resolved: string[] = [];
  let links = 0;
  while (pending.length > 0) {
    const part = pending.shift() as string;
    if (part === '.' || part === '') continue;
    if (part === '..') {
      resolved.pop();
      continue;
    }
    const candidate = topmost(layers, join(...resolved, part));
    if (candidate !== undefined) {
      if (++links > maxSymlinks) throw new UnsafePathError(name, 'too many levels of symbolic links');
      const target = readlinkSync(candidate);
      if (target.startsWith('/')) resolved.length = 0;
      pending.unshift(...target.split('/'));
      continue;
    }
    resolved.push(part);
  }
  return join(root, ...resolved);
}

// The path of the entry in the topmost layer that has it, if that entry is a symlink.
function topmost(layers: readonly string[], relative: string): string | undefined {
  for (const layer of layers) {
    const path = join(layer, relative);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isCharacterDevice() && stat.rdev === 0) return undefined; // whited out
    return stat.isSymbolicLink() ? path : undefined;
  }
  return undefined;
}
