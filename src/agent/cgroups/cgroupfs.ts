// cgroup v1 directories under /sys/fs/cgroup, as the kubelet's cgroupfs driver keeps them: a
// cgroup is one directory per hierarchy, named by its path ("/peapod/kubepods/burstable/podUID").
// Values go to the cpu, memory and pids hierarchies; runc makes the container cgroups below (and
// the same path in the other hierarchies) and removes only its leaves.
import { mkdir, readdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../../util/fs.ts';
import type { ResourceConfig } from './resource_config.ts';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Makes the cgroup (idempotent) and writes the values its config has. */
export async function applyCgroup(path: string, config: ResourceConfig): Promise<void> {
  for (const controller of ['cpu', 'memory', 'pids']) await mkdir(controllerDir(controller, path), { recursive: true });
  for (const [controller, file, value] of configFiles(config)) {
    await writeFile(join(controllerDir(controller, path), file), String(value)).catch((err: NodeJS.ErrnoException) => {
      throw new Error(`setting ${file} of cgroup ${path} to ${value}: ${err.message}`, { cause: err });
    });
  }
}

/** One file of a controller's directory for the cgroup, e.g. ('memory', path, 'memory.limit_in_bytes'). */
export async function readCgroupFile(controller: string, path: string, file: string): Promise<string> {
  return (await readFile(join(controllerDir(controller, path), file), 'utf8')).trim();
}

/** Whether the cgroup exists (its memory directory is there). */
export async function cgroupExists(path: string): Promise<boolean> {
  return pathExists(controllerDir('memory', path));
}

/**
 * How many processes of the cgroup (and below) the kernel's OOM killer ended: `oom_kill` of
 * memory.oom_control (v1) or memory.events (v2); 0 when the cgroup is gone.
 */
export async function oomKills(path: string): Promise<number> {
  for (const file of [join(controllerDir('memory', path), 'memory.oom_control'), join(CGROUP_ROOT, path, 'memory.events')]) {
    const text = await readFile(file, 'utf8').catch(() => undefined);
    const count = text === undefined ? undefined : /^oom_kill (\d+)$/m.exec(text)?.[1];
    if (count !== undefined) return Number(count);
  }
  return 0;
}

/** Removes the cgroup and every (empty) cgroup below it from every hierarchy; missing is fine. */
export async function removeCgroup(path: string): Promise<void> {
  for (const hierarchy of await cgroupHierarchies()) await removeTree(join(hierarchy, path));
}

/** Hierarchies where `path` exists, for checks that nothing was left behind. */
export async function cgroupDirsPresent(path: string): Promise<string[]> {
  const present: string[] = [];
  for (const hierarchy of await cgroupHierarchies()) {
    const dir = join(hierarchy, path);
    if (await pathExists(dir)) present.push(dir);
  }
  return present;
}

function configFiles(config: ResourceConfig): [string, string, number][] {
  const files: [string, string, number | undefined][] = [
    ['cpu', 'cpu.shares', config.cpuShares],
    ['cpu', 'cpu.cfs_period_us', config.cpuPeriod],
    ['cpu', 'cpu.cfs_quota_us', config.cpuQuota],
    ['memory', 'memory.limit_in_bytes', config.memoryLimit],
    ['pids', 'pids.max', config.pidsLimit],
  ];
  return files.filter((f): f is [string, string, number] => f[2] !== undefined);
}

function controllerDir(controller: string, path: string): string {
  return join(CGROUP_ROOT, controller, path);
}

// A cgroup without cgroups below it goes with one rmdir (its control files do not count): only
// one that is busy is read for subdirectories, so that a pod's delete does not list the dozens of
// control files of every hierarchy.
async function removeTree(dir: string): Promise<void> {
  if (await rmdirUnlessBusy(dir)) return;
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw removalError(dir, err);
  });
  for (const entry of entries) if (entry.isDirectory()) await removeTree(join(dir, entry.name));
  await rmdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw removalError(dir, err);
  });
}

/** Whether the cgroup is gone; false while cgroups (or processes) are left in it. */
async function rmdirUnlessBusy(dir: string): Promise<boolean> {
  return rmdir(dir).then(() => true, (err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return true;
    if (err.code === 'EBUSY' || err.code === 'ENOTEMPTY') return false;
    throw removalError(dir, err);
  });
}

function removalError(dir: string, err: Error): Error {
  return new Error(`removing cgroup ${dir}: ${err.message}`, { cause: err });
}

/** The v1 controllers plus the v2 "unified" mount of a hybrid host, or the v2 root itself. */
async function cgroupHierarchies(): Promise<string[]> {
  const entries = await readdir(CGROUP_ROOT, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(CGROUP_ROOT, e.name));
  return dirs.length > 0 && !entries.some((e) => e.name === 'cgroup.controllers') ? dirs : [CGROUP_ROOT];
}
