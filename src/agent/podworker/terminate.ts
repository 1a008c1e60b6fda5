// Ending a pod: stop its containers (kill.ts: preStop, grace period, sidecars last, as the
// kubelet's killPodWithSyncResult), then its network and infra; once the pod is gone for good,
// remove every trace on the node: containers, rootfs mounts, sandbox, pod cgroup, volumes, pod
// directory, logs.
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ContainerStatus } from '../runtime/runtime.ts';
import { containerDir, podDir, podLogDir, type WorkerContext } from './context.ts';
import { ignoreNotFound, killContainers, type KillOptions } from './kill.ts';
import { latestContainers, type RuntimePod } from './observe.ts';

/**
 * Stops the pod: every running container (kill.ts), then every sandbox's network and infra.
 * Exited containers stay for their status and logs.
 */
export async function killPod(ctx: WorkerContext, pod: Pod, observed: RuntimePod, options: KillOptions = {}): Promise<void> {
  await killContainers(ctx, pod, observed.containers.filter((c) => c.state !== 'exited'), options);
  for (const sandbox of observed.sandboxes) {
    await ctx.network.tearDown({ sandboxId: sandbox.id, netnsPath: sandbox.netNamespacePath, pod });
    await ignoreNotFound(ctx.runtime.stopSandbox(sandbox.id));
  }
}

/** Removes everything the pod left on the node; the pod must be stopped. Idempotent. */
export async function removePod(ctx: WorkerContext, pod: Pod, observed: RuntimePod): Promise<void> {
  const uid = observed.uid;
  // Containers and their rootfs are apart from one another: removed together.
  await Promise.all(observed.containers.map((c) => ignoreNotFound(ctx.runtime.removeContainer(c.id))));
  // Every attempt's rootfs, also of an attempt prepared but never created (its sandbox failed).
  await Promise.all((await attemptDirs(ctx, uid)).map((dir) => ctx.images.unmountRootfs(dir)));
  for (const sandbox of observed.sandboxes) await ignoreNotFound(ctx.runtime.removeSandbox(sandbox.id));
  await ctx.cgroups.destroy(uid);
  await ctx.volumes.tearDown(uid);
  await rm(podDir(ctx, uid), { recursive: true, force: true });
  await rm(podLogDir(ctx, pod), { recursive: true, force: true });
  ctx.backoff.forgetPrefix(`${uid}/`);
}

/** Removes exited attempts older than the newest of each container (kept for --previous). */
export async function pruneContainers(ctx: WorkerContext, observed: RuntimePod): Promise<void> {
  const latest = latestContainers(observed);
  const stale = observed.containers.filter((c) => c.state === 'exited' && c.metadata.attempt < (latest.get(c.metadata.name)?.metadata.attempt ?? 0) - 1);
  for (const c of stale) await removeAttempt(ctx, observed.uid, c);
}

/** Removes one container attempt: the runtime's container, then its rootfs and attempt directory. */
export async function removeAttempt(ctx: WorkerContext, uid: string, c: ContainerStatus): Promise<void> {
  await ignoreNotFound(ctx.runtime.removeContainer(c.id));
  await ctx.images.unmountRootfs(containerDir(ctx, uid, c.metadata.name, c.metadata.attempt));
}

/** DATA/pods/UID/containers/NAME/ATTEMPT of every attempt the node has files of. */
async function attemptDirs(ctx: WorkerContext, uid: string): Promise<string[]> {
  const root = join(podDir(ctx, uid), 'containers');
  const names = await readdir(root).catch(() => []);
  const dirs = await Promise.all(names.map(async (name) => (await readdir(join(root, name)).catch(() => [])).map((attempt) => join(root, name, attempt))));
  return dirs.flat();
}
