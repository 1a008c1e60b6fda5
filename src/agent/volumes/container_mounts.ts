// A container's mounts from its volumeMounts, as the kubelet's makeMounts builds them: the
// volume's host path, narrowed by subPath (or subPathExpr expanded with the container's env),
// read-only when the mount asks for it or the volume is read-only by nature.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { expand } from '../kuberuntime/expansion.ts';
import type { Mount } from '../runtime/runtime.ts';
import { ContainerConfigError } from './errors.ts';
import { prepareSubPath } from './subpath.ts';
import type { PodVolumes } from './volume_manager.ts';

// The pod is passed as makeMounts takes it; nothing of it beyond its volumes is needed here yet.
export async function containerMounts(_pod: Pod, container: Container, volumes: PodVolumes, env: Record<string, string>): Promise<Mount[]> {
  const mounts: Mount[] = [];
  for (const [index, mount] of (container.volumeMounts ?? []).entries()) {
    const volume = volumes.volumes.get(mount.name);
    if (volume === undefined) throw new ContainerConfigError(`cannot find volume "${mount.name}" to mount into container "${container.name}"`);
    let hostPath = volume.path;
    const subPath = mount.subPathExpr ? expandSubPath(mount.subPathExpr, env) : (mount.subPath ?? '');
    if (subPath !== '') {
      hostPath = await prepareSubPath({
        volumeName: mount.name, volumePath: volume.path, subPath, podDir: volumes.podDir,
        containerName: container.name, mountName: mount.name, index,
      });
    }
    const containerPath = mount.mountPath.startsWith('/') ? mount.mountPath : `/${mount.mountPath}`;
    mounts.push({ containerPath, hostPath, readonly: mount.readOnly === true || volume.readOnly });
  }
  return mounts;
}

/** Every variable must have a non-empty value, or the kubelet refuses the mount. */
function expandSubPath(expr: string, env: Record<string, string>): string {
  const missing = new Set<string>();
  const expanded = expand(expr, (name) => {
    const value = env[name];
    if (value === undefined || value === '') missing.add(name);
    return value ?? '';
  });
  if (missing.size > 0) throw new ContainerConfigError(`missing value for ${[...missing].sort().join(', ')}`);
  return expanded;
}
