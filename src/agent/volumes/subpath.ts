// subPath mounts, made safe as the kubelet makes them: the path is created if missing (never
// through a symlink), resolved inside the volume, opened, and the opened file itself is
// bind-mounted to a directory of the pod. The runtime then mounts that bind, so a container that
// swaps a directory of the volume for a symlink cannot redirect a later mount out of the volume.
//
//   VOLUME/a/b  ──open(O_PATH|O_NOFOLLOW) → fd, /proc/self/fd/N must lie inside VOLUME
//               ──bind mount of /proc/PID/fd/N──▶ POD/volume-subpaths/VOLUME_NAME/CONTAINER/INDEX
import { chmodSync, closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readlinkSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ContainerConfigError } from './errors.ts';
import { bindMountFd, mountedFsType, unmountStacked } from './mount.ts';

// Linux's O_PATH (x86_64 and arm64): opens without reading, so FIFOs and devices do not block.
const O_PATH = 0o10000000;

export interface SubPathMount {
  volumeName: string;
  volumePath: string;
  subPath: string;
  podDir: string;
  containerName: string;
  mountName: string;
  /** The volumeMount's index in the container: one bind per mount. */
  index: number;
}

/** Checks subPath, creates it when missing, and returns the host path the runtime should mount. */
export async function prepareSubPath(m: SubPathMount): Promise<string> {
  if (m.subPath.startsWith('/')) throw new ContainerConfigError(`error SubPath \`${m.subPath}\` must not be an absolute path`);
  if (m.subPath.split('/').includes('..')) throw new ContainerConfigError(`unable to provision SubPath \`${m.subPath}\`: must not contain '..'`);
  const volumeReal = realpathSync(m.volumePath);
  if (!exists(join(volumeReal, m.subPath))) {
    try {
      safeMakeDir(volumeReal, m.subPath, statSync(volumeReal).mode & 0o7777);
    } catch (cause) {
      // The details stay out of the pod's status: they could describe the host's filesystem.
      throw new ContainerConfigError(`failed to create subPath directory for volumeMount "${m.mountName}" of container "${m.containerName}"`, { cause });
    }
  }
  try {
    return await bindSubPath(volumeReal, m);
  } catch (cause) {
    throw new ContainerConfigError(`failed to prepare subPath for volumeMount "${m.mountName}" of container "${m.containerName}"`, { cause });
  }
}

async function bindSubPath(volumeReal: string, m: SubPathMount): Promise<string> {
  const resolved = realpathSync(join(volumeReal, m.subPath));
  assertWithin(resolved, volumeReal);
  const fd = openSync(resolved, O_PATH | constants.O_NOFOLLOW);
  try {
    // What the kernel opened, whatever happened to the path names since realpath.
    assertWithin(readlinkSync(`/proc/self/fd/${fd}`), volumeReal);
    const target = join(m.podDir, 'volume-subpaths', m.volumeName, m.containerName, String(m.index));
    mkdirSync(join(target, '..'), { recursive: true, mode: 0o750 });
    // A restarted container gets a fresh bind: the subPath may have changed meanwhile.
    await unmountStacked(target);
    if (fstatSync(fd).isDirectory()) mkdirSync(target, { recursive: true, mode: 0o750 });
    else if (!exists(target)) writeFileSync(target, '', { mode: 0o640 });
    await bindMountFd(fd, target);
    if (mountedFsType(target) === undefined) throw new Error(`bind mount of ${resolved} on ${target} did not appear`);
    return target;
  } finally {
    closeSync(fd);
  }
}

/**
 * Creates volume/subPath directory by directory with mode perm. The part that exists is resolved
 * and must stay in the volume; each new directory is checked not to be a symlink made meanwhile.
 */
function safeMakeDir(volumeReal: string, subPath: string, perm: number): void {
  const parts = subPath.split('/').filter((p) => p !== '' && p !== '.');
  let existing = 0;
  while (existing < parts.length && lexists(join(volumeReal, ...parts.slice(0, existing + 1)))) existing++;
  let current = realpathSync(join(volumeReal, ...parts.slice(0, existing)));
  assertWithin(current, volumeReal);
  for (const part of parts.slice(existing)) {
    current = join(current, part);
    mkdirSync(current, { mode: perm });
    if (!lstatSync(current).isDirectory()) throw new Error(`${current} is not a directory`);
    chmodSync(current, perm);
  }
}

function assertWithin(path: string, base: string): void {
  const rel = relative(base, path);
  if (rel === '..' || rel.startsWith('../') || rel.startsWith('/')) throw new Error(`subpath ${path} not within volume path ${base}`);
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
