// Applies one layer tar to an empty snapshot directory, turning OCI whiteouts into overlayfs
// ones. Every entry is placed through entryLocation (see scoped-path.ts), so a hostile layer
// cannot write outside the snapshot; hardlinks may only point at entries inside it. parents are
// the snapshots of the layers below, bottom first, read for their symlinked directories.
import { constants, lstatSync } from 'node:fs';
import { chmod, lchown, link, lutimes, mkdir, open, rm, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarEntry } from '../tar/reader.ts';
import type { TarHeader } from '../tar/entry.ts';
import { entryLocation, UnsafePathError } from './scoped-path.ts';
import { makeSpecialFiles, type SpecialFile } from './special-files.ts';

const whiteoutPrefix = '.wh.';
const opaqueMarker = '.wh..wh..opq';

export interface ApplyResult {
  entries: number;
  whiteouts: number;
}

export async function applyLayer(root: string, entries: AsyncIterable<TarEntry>, parents: readonly string[] = []): Promise<ApplyResult> {
  const special: SpecialFile[] = [];
  const directories: { path: string; mtime: number }[] = [];
  const devices: { path: string; header: TarHeader }[] = [];
  let count = 0;
  for await (const entry of entries) {
    count++;
    const { header } = entry;
    const { parent, base } = entryLocation(root, header.name, parents);
    await mkdir(parent, { recursive: true, mode: 0o755 });
    if (base === opaqueMarker) {
      special.push({ kind: 'opaque', path: parent });
      continue;
    }
    if (base.startsWith(whiteoutPrefix)) {
      const name = base.slice(whiteoutPrefix.length);
      if (name === '' || name === '.' || name === '..') throw new UnsafePathError(header.name, 'whiteout of no entry');
      const hidden = join(parent, name);
      await rm(hidden, { recursive: true, force: true });
      special.push({ kind: 'whiteout', path: hidden });
      continue;
    }
    const path = join(parent, base);
    if (header.type === 'directory') {
      if (!lstatSync(path, { throwIfNoEntry: false })?.isDirectory()) {
        await rm(path, { recursive: true, force: true });
        await mkdir(path, { mode: 0o700 });
      }
      await setAttributes(path, header);
      directories.push({ path, mtime: header.mtime });
      continue;
    }
    await rm(path, { recursive: true, force: true });
    switch (header.type) {
      case 'file':
        await writeFile(path, entry);
        break;
      case 'symlink':
        // The target is stored as is: it is only ever followed scoped to a root (here, or in the container).
        await symlink(header.linkname, path);
        break;
      case 'hardlink':
        await link(hardlinkTarget(root, header, parents), path);
        continue; // a hardlink shares the attributes of its target
      default:
        special.push({ kind: header.type, path, mode: header.mode, major: header.devmajor, minor: header.devminor });
        devices.push({ path, header });
        continue;
    }
    await setAttributes(path, header);
  }
  makeSpecialFiles(special);
  for (const { path, header } of devices) await setAttributes(path, header); // mknod applied the umask
  // Directories last: writing their entries moved their mtimes.
  for (const { path, mtime } of directories.reverse()) await utimes(path, mtime, mtime);
  return { entries: count, whiteouts: special.filter((s) => s.kind === 'whiteout' || s.kind === 'opaque').length };
}

async function writeFile(path: string, entry: TarEntry): Promise<void> {
  // O_EXCL|O_NOFOLLOW: the name was just removed, so this creates a new file and follows nothing.
  const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    for await (const chunk of entry.body()) await file.write(chunk);
  } finally {
    await file.close();
  }
}

// A hardlink names an earlier entry of the same layer; resolved like any name, it stays inside.
function hardlinkTarget(root: string, header: TarHeader, parents: readonly string[]): string {
  const { parent, base } = entryLocation(root, header.linkname, parents);
  const target = join(parent, base);
  const stat = lstatSync(target, { throwIfNoEntry: false });
  if (stat === undefined) throw new UnsafePathError(header.name, `hardlink to ${JSON.stringify(header.linkname)}, which is not in this layer`);
  if (stat.isDirectory()) throw new UnsafePathError(header.name, 'hardlink to a directory');
  return target;
}

// chown clears set-id bits, so the mode is set after it; symlinks have no mode of their own.
async function setAttributes(path: string, header: TarHeader): Promise<void> {
  await lchown(path, header.uid, header.gid);
  if (header.type !== 'symlink') await chmod(path, header.mode & 0o7777);
  await lutimes(path, header.mtime, header.mtime);
}
