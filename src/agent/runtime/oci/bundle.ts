// OCI bundles on disk: a directory with config.json, plus the shared read-only infra rootfs.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../../../util/fs.ts';
import type { OciSpec } from './spec.ts';

export async function writeBundle(bundleDir: string, spec: OciSpec): Promise<void> {
  await mkdir(bundleDir, { recursive: true });
  await writeFile(join(bundleDir, 'config.json'), JSON.stringify(spec, null, 2));
}

/**
 * Builds (once) the infra rootfs: catatonit, which is statically linked, plus the mount points
 * of the infra spec. Made ahead so that the rootfs can be mounted read-only.
 */
export async function ensureInfraRootfs(rootfsDir: string, catatonitPath: string): Promise<string> {
  const target = join(rootfsDir, 'usr/bin/catatonit');
  if (await pathExists(target)) return rootfsDir;
  for (const dir of ['usr/bin', 'proc', 'dev', 'sys']) await mkdir(join(rootfsDir, dir), { recursive: true });
  await copyFile(catatonitPath, target);
  return rootfsDir;
}
