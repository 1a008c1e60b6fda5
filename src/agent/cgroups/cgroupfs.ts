// runc creates a container's cgroup in every hierarchy and removes only the leaf on delete;
// the pod-level parents that cgroupsPath implies are removed here.
import { readdir, rmdir } from 'node:fs/promises';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

/** Removes the (empty) cgroup directory `path` from every mounted hierarchy; missing is fine. */
export async function removeCgroupDir(path: string): Promise<void> {
  for (const hierarchy of await cgroupHierarchies()) {
    await rmdir(join(hierarchy, path)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw new Error(`removing cgroup ${join(hierarchy, path)}: ${err.message}`, { cause: err });
    });
  }
}

/** Hierarchies where `path` exists, for checks that nothing was left behind. */
export async function cgroupDirsPresent(path: string): Promise<string[]> {
  const present: string[] = [];
  for (const hierarchy of await cgroupHierarchies()) {
    const dir = join(hierarchy, path);
    if (await readdir(dir).then(() => true, () => false)) present.push(dir);
  }
  return present;
}

/** The v1 controllers plus the v2 "unified" mount of a hybrid host, or the v2 root itself. */
async function cgroupHierarchies(): Promise<string[]> {
  const entries = await readdir(CGROUP_ROOT, { withFileTypes: true });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => join(CGROUP_ROOT, e.name));
  return dirs.length > 0 && !entries.some((e) => e.name === 'cgroup.controllers') ? dirs : [CGROUP_ROOT];
}
