// Users and groups of an image, from its /etc/passwd and /etc/group: what the CRI runtimes
// consult to turn a user name into ids, find a uid's primary group and its extra groups.
// Parsing is pure; readImageUsers is the one function here that reads files.
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { join } from 'node:path';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

/** The lookups a container's identity needs; absent files read as empty. */
export interface ImageUsers {
  users: PasswdEntry[];
  groups: GroupEntry[];
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const fields of colonLines(text)) {
    const uid = parseId(fields[2]);
    const gid = parseId(fields[3]);
    if (fields[0] && uid !== undefined && gid !== undefined) entries.push({ name: fields[0], uid, gid });
  }
  return entries;
}

export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const fields of colonLines(text)) {
    const gid = parseId(fields[2]);
    if (!fields[0] || gid === undefined) continue;
    const members = (fields[3] ?? '').split(',').map((m) => m.trim()).filter((m) => m !== '');
    entries.push({ name: fields[0], gid, members });
  }
  return entries;
}

/**
 * Reads ROOTFS/etc/passwd and ROOTFS/etc/group. The rootfs is untrusted: a symlinked /etc or
 * file could point at the node's own files, so symlinks are not followed (read as absent).
 */
export async function readImageUsers(rootfsPath: string): Promise<ImageUsers> {
  const etc = await lstat(join(rootfsPath, 'etc')).catch(() => undefined);
  if (etc === undefined || !etc.isDirectory()) return { users: [], groups: [] };
  const [passwd, group] = await Promise.all([
    readOptional(join(rootfsPath, 'etc/passwd')),
    readOptional(join(rootfsPath, 'etc/group')),
  ]);
  return { users: parsePasswd(passwd), groups: parseGroup(group) };
}

export function parseId(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  const id = Number(text);
  return id <= 0xffffffff ? id : undefined;
}

function colonLines(text: string): string[][] {
  return text.split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

async function readOptional(path: string): Promise<string> {
  let file;
  try {
    file = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ELOOP') return '';
    throw err;
  }
  try {
    return await file.readFile('utf8');
  } finally {
    await file.close();
  }
}
