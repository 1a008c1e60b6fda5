// Starting a container attempt (the kubelet's startContainer): image and rootfs (prepareContainer,
// which needs no sandbox), env, mounts (the attempt's termination message file among them),
// create, then start and the postStart hook — each failure becomes the container's waiting reason
// and an event. A failed postStart hook kills the container (FailedPostStartHook), which then
// restarts by the pod's policy.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import { containerConfig, containerLogPath } from '../kuberuntime/container_config.ts';
import { makeEnvironmentVariables, type EnvContext } from '../kuberuntime/env.ts';
import { KubeRuntimeError } from '../kuberuntime/errors.ts';
import { readImageUsers, type ImageUsers } from '../kuberuntime/passwd.ts';
import type { ContainerConfig, Mount } from '../runtime/runtime.ts';
import { containerDir, podContext, type WorkerContext } from './context.ts';
import { WaitingError, type PulledImage } from './deps.ts';
import { killContainer } from './kill.ts';
import { annotations } from './labels.ts';
import { terminationMessageMount } from './termination_message.ts';
import type { PodSandbox, StartedSandbox } from './sandbox.ts';

/** What a container attempt needs before there is a sandbox: its image and root filesystem. */
export interface PreparedContainer {
  image: PulledImage;
  /** The attempt's directory: rootfs mount, upper dir, termination message file. */
  dir: string;
  rootfsPath: string;
  users: ImageUsers;
}

export async function prepareContainer(ctx: WorkerContext, pod: Pod, container: Container, attempt: number): Promise<PreparedContainer> {
  const image = await ctx.images.ensureImage(pod, container);
  const dir = containerDir(ctx, pod.metadata?.uid ?? '', container.name, attempt);
  const rootfsPath = await ctx.images.mountRootfs(dir, image);
  return { image, dir, rootfsPath, users: await readImageUsers(rootfsPath) };
}

/**
 * The created container's id. `sandbox` may still wait for its network: only a container whose
 * environment names the pod's IPs waits for them. The caller records the Created event.
 */
export async function createContainer(ctx: WorkerContext, pod: Pod, container: Container, sandbox: StartedSandbox | PodSandbox, attempt: number, prepared: PreparedContainer): Promise<string> {
  const config = await buildConfig(ctx, pod, container, sandbox, attempt, prepared);
  return runtimeStep(ctx, pod, 'CreateContainerError', () => ctx.runtime.createContainer(sandbox.sandbox.id, config));
}

export function recordCreated(ctx: WorkerContext, pod: Pod, container: Container): void {
  ctx.recorder.event(pod, 'Normal', 'Created', `Created container ${container.name}`);
}

/** Whether the container's environment names the pod's IPs (status.podIP, status.podIPs). */
export function needsPodIPs(container: Container): boolean {
  return (container.env ?? []).some((e) => ['status.podIP', 'status.podIPs'].includes(e.valueFrom?.fieldRef?.fieldPath ?? ''));
}

export async function startCreated(ctx: WorkerContext, pod: Pod, container: Container, id: string, podIP: string): Promise<void> {
  await runtimeStep(ctx, pod, 'RunContainerError', () => ctx.runtime.startContainer(id));
  void ctx.recorder.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
  const postStart = container.lifecycle?.postStart;
  if (postStart === undefined) return;
  const failure = await ctx.hooks.run(postStart, { pod, container, containerId: id, podIP });
  if (failure === undefined) return;
  await ctx.recorder.event(pod, 'Warning', 'FailedPostStartHook', failure);
  await killContainer(ctx, pod, await ctx.runtime.containerStatus(id), { message: 'FailedPostStartHook', reason: 'FailedPostStartHook' });
  throw new WaitingError('PostStartHookError', failure);
}

async function buildConfig(ctx: WorkerContext, pod: Pod, container: Container, sandbox: StartedSandbox | PodSandbox, attempt: number, prepared: PreparedContainer): Promise<ContainerConfig> {
  const { image, dir, rootfsPath, users } = prepared;
  const podIPs = 'podIPs' in sandbox ? sandbox.podIPs : [];
  const env = await configStep(ctx, pod, () => makeEnvironmentVariables(pod, container, envContext(ctx, podIPs), ctx.envSources));
  const envMap = Object.fromEntries(env.map((kv) => [kv.key, kv.value]));
  const mounts: Mount[] = await configStep(ctx, pod, async () => [...await ctx.volumes.mounts(pod, container, envMap), ...podMounts(container, sandbox)]);
  mounts.push(...await terminationMessageMount(dir, container));
  const logPath = containerLogPath(container.name, attempt);
  const config = await configStep(ctx, pod, async () => containerConfig({ pod, container, attempt, image: image.config, rootfsPath, env, mounts, logPath, users }));
  config.annotations = { ...config.annotations, [annotations.image]: image.image.name, [annotations.imageRef]: image.imageRef };
  return config;
}

function envContext(ctx: WorkerContext, podIPs: string[]): EnvContext {
  const pc = podContext(ctx, podIPs);
  return { podIP: pc.podIPs[0] ?? '', podIPs: pc.podIPs, hostIP: pc.hostIP, hostIPs: [pc.hostIP], nodeName: pc.nodeName, nodeAllocatable: pc.nodeAllocatable };
}

/** /etc/hosts, unless the container mounts its own there (as the kubelet decides). */
function podMounts(container: Container, sandbox: StartedSandbox): Mount[] {
  const ownHosts = (container.volumeMounts ?? []).some((m) => m.mountPath === '/etc/hosts');
  return ownHosts ? [] : [{ containerPath: '/etc/hosts', hostPath: sandbox.hostsPath }];
}

/** Config errors (a missing ConfigMap key, runAsNonRoot…) are CreateContainerConfigError and the like. */
async function configStep<T>(ctx: WorkerContext, pod: Pod, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    if (!(err instanceof KubeRuntimeError)) throw err;
    await ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${err.message}`);
    throw new WaitingError(err.reason, err.message, { cause: err });
  }
}

async function runtimeStep<T>(ctx: WorkerContext, pod: Pod, reason: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    const message = (err as Error).message;
    await ctx.recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`);
    throw new WaitingError(reason, message, { cause: err });
  }
}
