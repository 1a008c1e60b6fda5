// The volume manager: makes a pod's volumes before its containers are created and removes them
// once the pod is gone, as the kubelet's volume manager and volume plugins do.
//
//   ROOT/POD_UID/volumes/kubernetes.io~empty-dir/NAME    disk, or tmpfs (medium Memory)
//                       /kubernetes.io~configmap/NAME    AtomicWriter files, disk
//                       /kubernetes.io~secret/NAME       AtomicWriter files, tmpfs
//                       /kubernetes.io~downward-api/NAME AtomicWriter files, disk
//                       /kubernetes.io~projected/NAME    AtomicWriter files, tmpfs
//   ROOT/POD_UID/volume-subpaths/NAME/CONTAINER/INDEX    subPath bind mounts (see subpath.ts)
//   hostPath volumes are the node's paths themselves.
//
// setUp is level-triggered: every sync calls it, each volume is planned (API reads, checks) and
// then applied idempotently; the AtomicWriter rewrites files only when their contents changed.
// tearDown needs no memory of setUp: the mount table says what to unmount.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import { mkdirSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomically } from './atomic_writer.ts';
import type { DownwardContext } from './downward_api.ts';
import { setUpEmptyDir } from './emptydir.ts';
import { checkHostPathType } from './hostpath.ts';
import { mountsUnder, unmountStacked } from './mount.ts';
import { setVolumeOwnership } from './ownership.ts';
import type { VolumeSources } from './payload.ts';
import { planVolume, type VolumePlan } from './plugins.ts';

export type { DownwardContext } from './downward_api.ts';
export type { VolumeSources } from './payload.ts';
export { ContainerConfigError } from './errors.ts';

export interface PodVolume {
  /** Where the volume is on the host. */
  path: string;
  /** configMap, secret, downwardAPI and projected volumes are mounted read-only whatever the volumeMount says. */
  readOnly: boolean;
}

export interface PodVolumes {
  /** ROOT/POD_UID: where subPath mounts of this pod are made. */
  podDir: string;
  volumes: Map<string, PodVolume>;
}

export class VolumeManager {
  private readonly rootDir: string;
  private readonly sources: VolumeSources;

  constructor(options: { rootDir: string; sources: VolumeSources }) {
    this.rootDir = options.rootDir;
    this.sources = options.sources;
  }

  /** Makes every volume of the pod; throws ContainerConfigError for the first volume the pod's inputs break. */
  async setUp(pod: Pod, context: DownwardContext): Promise<PodVolumes> {
    const podDir = this.podDir(podUidOf(pod.metadata?.uid));
    const fsGroup = pod.spec?.securityContext?.fsGroup;
    const volumes = new Map<string, PodVolume>();
    for (const volume of pod.spec?.volumes ?? []) {
      const plan = await planVolume(pod, volume, this.sources, context);
      volumes.set(volume.name, await applyPlan(plan, podDir, volume.name, fsGroup));
    }
    return { podDir, volumes };
  }

  /** Unmounts everything mounted under the pod's directory, then removes it; idempotent. */
  async tearDown(podUid: string): Promise<void> {
    const podDir = this.podDir(podUidOf(podUid));
    for (const mountPoint of mountsUnder(podDir)) await unmountStacked(mountPoint);
    // Removing a tree that still holds a mount would delete what is mounted (a hostPath!).
    const left = mountsUnder(podDir);
    if (left.length > 0) throw new Error(`pod ${podUid}: volumes still mounted after unmount: ${left.join(', ')}`);
    rmSync(podDir, { recursive: true, force: true });
  }

  /** The pod's directory with symlinks resolved, so that it compares with the mount table. */
  private podDir(uid: string): string {
    mkdirSync(this.rootDir, { recursive: true, mode: 0o750 });
    return join(realpathSync(this.rootDir), uid);
  }
}

function podUidOf(uid: string | undefined): string {
  // The uid becomes a directory name under rootDir; it must not name anything else.
  if (uid === undefined || uid === '' || uid === '.' || uid === '..' || uid.includes('/')) {
    throw new Error(`invalid pod uid ${JSON.stringify(uid)}`);
  }
  return uid;
}

async function applyPlan(plan: VolumePlan, podDir: string, name: string, fsGroup: number | undefined): Promise<PodVolume> {
  if (plan.kind === 'hostPath') {
    checkHostPathType(plan.path, plan.type, name);
    return { path: plan.path, readOnly: false };
  }
  const dir = join(podDir, 'volumes', plan.plugin, name);
  const made = await setUpEmptyDir(dir, plan.medium, plan.sizeBytes);
  if (plan.kind === 'emptyDir') {
    if (made) setVolumeOwnership(dir, fsGroup, false);
    return { path: dir, readOnly: false };
  }
  // The whole volume, not only the new version: visible links made earlier need the group too.
  writeAtomically(dir, plan.payload, () => setVolumeOwnership(dir, fsGroup, true));
  return { path: dir, readOnly: true };
}
