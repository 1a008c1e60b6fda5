// Whether the kernel's OOM killer ended a container. conmon creates an "oom" file in its working
// directory (the bundle, where CRI-O starts it too) when the container's memory cgroup signals an
// OOM; but conmon may quit on the container's exit before it reads that event, so the container
// cgroup's oom_kill count (there until runc deletes the container) is the second witness. A yes
// is written down as that same file, so that it outlives the cgroup and an agent restart.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../../../util/fs.ts';
import { oomKills } from '../../cgroups/cgroupfs.ts';

export async function wasOomKilled(bundleDir: string, cgroupPath: string): Promise<boolean> {
  const marker = join(bundleDir, 'oom');
  if (await pathExists(marker)) return true;
  if ((await oomKills(cgroupPath)) === 0) return false;
  await writeFile(marker, '');
  return true;
}
