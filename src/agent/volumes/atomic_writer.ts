// The kubelet's AtomicWriter: projects a set of files into a volume directory so that a reader
// never sees a mix of old and new contents.
//
//   DIR/..2025_01_02_15_04_05.AbC123/     the files of one version (mode 0755)
//   DIR/..data -> ..2025_01_02_15_04_05.AbC123   swapped by rename(2): the atomic step
//   DIR/key    -> ..data/key               the user-visible names (top-level components only)
//
// Write: validate → compare with the current version (nothing to do? stop) → write a new
// timestamped dir → setPerms hook (fsGroup) → ..data_tmp symlink renamed over ..data → add new
// visible links → drop visible links no longer in the payload → remove the old version.
// Names starting with ".." are reserved for the writer.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';

export interface FileProjection {
  data: Buffer;
  mode: number;
}

/** Relative path inside the volume → contents. */
export type Payload = Map<string, FileProjection>;

const dataDirName = '..data';
const newDataDirName = '..data_tmp';
const maxFileNameLength = 255;
const maxPathLength = 4096;

/** Writes payload into targetDir (which must exist); returns whether anything changed. */
export function writeAtomically(targetDir: string, payload: Payload, setPerms?: (tsDir: string) => void): boolean {
  const clean = validatePayload(payload);
  const dataDir = join(targetDir, dataDirName);
  const oldTsName = readlinkOrUndefined(dataDir);
  const oldTsDir = oldTsName === undefined ? undefined : join(targetDir, oldTsName);
  const toRemove = oldTsDir === undefined ? new Set<string>() : pathsToRemove(clean, oldTsDir);
  if (oldTsDir !== undefined && toRemove.size === 0 && !shouldWritePayload(clean, oldTsDir) && visibleLinksExist(targetDir, clean)) {
    return false;
  }

  const tsDir = mkdtempSync(join(targetDir, timestampPrefix(new Date())));
  // 0755 whatever the umask: group and others must be able to traverse the tree.
  chmodSync(tsDir, 0o755);
  try {
    writePayloadToDir(clean, tsDir);
    setPerms?.(tsDir);
    const newDataDir = join(targetDir, newDataDirName);
    rmSync(newDataDir, { force: true });
    symlinkSync(basename(tsDir), newDataDir);
    renameSync(newDataDir, dataDir);
  } catch (err) {
    rmSync(tsDir, { recursive: true, force: true });
    throw err;
  }
  createUserVisibleFiles(targetDir, clean);
  for (const path of toRemove) {
    // Only top-level names are visible links; deeper paths went away with the old version.
    if (!path.includes('/')) rmSync(join(targetDir, path), { force: true });
  }
  if (oldTsDir !== undefined) rmSync(oldTsDir, { recursive: true, force: true });
  return true;
}

function validatePayload(payload: Payload): Payload {
  const clean: Payload = new Map();
  for (const [path, projection] of payload) {
    validatePath(path);
    clean.set(posix.normalize(path).replace(/\/+$/, ''), projection);
  }
  return clean;
}

/** The kubelet's rules and messages for a projected path. */
export function validatePath(path: string): void {
  if (path === '') throw new Error(`invalid path: must not be empty: ""`);
  if (path.startsWith('/')) throw new Error(`invalid path: must be relative path: ${path}`);
  if (path.length > maxPathLength) throw new Error(`invalid path: must be less than or equal to ${maxPathLength} characters`);
  const items = path.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${path}`);
    if (item.length > maxFileNameLength) throw new Error(`invalid path: filenames must be less than or equal to ${maxFileNameLength} characters`);
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) throw new Error(`invalid path: must not start with '..': ${path}`);
}

function shouldWritePayload(payload: Payload, oldTsDir: string): boolean {
  for (const [path, projection] of payload) {
    const file = join(oldTsDir, path);
    if (!existsSync(file) || !readFileSync(file).equals(projection.data)) return true;
  }
  return false;
}

/** Paths of the old version that neither are in the payload nor are directories of it. */
function pathsToRemove(payload: Payload, oldTsDir: string): Set<string> {
  const keep = new Set<string>();
  for (const path of payload.keys()) {
    for (let p = path; p !== '.'; p = posix.dirname(p)) keep.add(p);
  }
  const existing = existsSync(oldTsDir) ? (readdirSync(oldTsDir, { recursive: true }) as string[]) : [];
  return new Set(existing.filter((p) => !keep.has(p)));
}

function writePayloadToDir(payload: Payload, dir: string): void {
  for (const [path, projection] of payload) {
    const file = join(dir, path);
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, projection.data, { mode: projection.mode });
    // open(2) applied the umask; the volume's mode is what the pod asked for.
    chmodSync(file, projection.mode);
  }
}

function createUserVisibleFiles(targetDir: string, payload: Payload): void {
  for (const name of topLevelNames(payload)) {
    const visible = join(targetDir, name);
    if (readlinkOrUndefined(visible) === undefined) symlinkSync(join(dataDirName, name), visible);
  }
}

function visibleLinksExist(targetDir: string, payload: Payload): boolean {
  return [...topLevelNames(payload)].every((name) => readlinkOrUndefined(join(targetDir, name)) !== undefined);
}

function topLevelNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((path) => path.split('/')[0]!));
}

function readlinkOrUndefined(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** "..2006_01_02_15_04_05." in UTC, as the kubelet names its versions (mkdtemp adds the rest). */
function timestampPrefix(now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `..${now.getUTCFullYear()}_${p(now.getUTCMonth() + 1)}_${p(now.getUTCDate())}_${p(now.getUTCHours())}_${p(now.getUTCMinutes())}_${p(now.getUTCSeconds())}.`;
}
