// The kubelet's SetVolumeOwnership (fsGroupChangePolicy Always): every file and directory of the
// volume gets the pod's fsGroup as its group and group access; directories get the setgid bit so
// that files created later inherit the group.
//   writable volume (emptyDir):          mode | 0660, directories also | 0110 | setgid
//   read-only by nature (configMap, …):  mode | 0440, directories also | 0110 | setgid
// Symlinks get the group (lchown) but no chmod: chmod would reach the file behind them and undo
// the mode the pod asked for.
import { chmodSync, lchownSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const rwMask = 0o660;
const roMask = 0o440;
const execMask = 0o110;
const setgid = 0o2000;

export function setVolumeOwnership(dir: string, fsGroup: number | undefined, readOnly: boolean): void {
  if (fsGroup === undefined) return;
  walk(dir, (path) => changeFilePermission(path, fsGroup, readOnly));
}

function changeFilePermission(path: string, fsGroup: number, readOnly: boolean): void {
  // uid -1: keep the owner, as os.Lchown(path, -1, gid) does.
  lchownSync(path, -1, fsGroup);
  const stat = lstatSync(path);
  if (stat.isSymbolicLink()) return;
  let mask = readOnly ? roMask : rwMask;
  if (stat.isDirectory()) mask |= setgid | execMask;
  chmodSync(path, (stat.mode & 0o7777) | mask);
}

/** Visits dir and everything below it, parents first, without following symlinks. */
function walk(dir: string, visit: (path: string) => void): void {
  visit(dir);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, visit);
    else visit(path);
  }
}
