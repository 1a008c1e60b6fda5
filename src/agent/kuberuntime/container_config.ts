// ContainerConfig of one container of a pod, as the kubelet's generateContainerConfig makes it:
//
//   metadata     name, attempt = restart count
//   command/args containerCommand (command.ts)    env   image Env under the container's env
//   user/security containerSecurity (security.ts) mounts as given by the caller
//   resources    cpu shares/quota/period, memory (+swap) limit (resources.ts)
//   logPath      NAME/ATTEMPT.log under the sandbox's logDirectory
//   stopSignal   the image's STOPSIGNAL (SIGTERM when it has none)
//   labels       io.kubernetes.pod.{name,namespace,uid}, io.kubernetes.container.name
//   annotations  hash, restartCount, terminationMessagePath/Policy, grace periods, preStop,
//                ports, container type (labels.ts)
// The termination message file is the caller's to create and mount.
import type { Container, Pod } from 'kubernetes-types/core/v1.d.ts';
import type { ImageConfig } from '../images/oci/types.ts';
import type { ContainerConfig, KeyValue, Mount } from '../runtime/runtime.ts';
import { parseSignal } from '../runtime/signals.ts';
import { containerCommand, containerEnvironment } from './command.ts';
import { CreateContainerError } from './errors.ts';
import { containerAnnotations, containerLabels } from './labels.ts';
import type { ImageUsers } from './passwd.ts';
import { linuxContainerResources } from './resources.ts';
import { containerSecurity } from './security.ts';

export interface ContainerConfigInput {
  pod: Pod;
  container: Container;
  /** The container's restart count. */
  attempt: number;
  image: ImageConfig;
  rootfsPath: string;
  /** From makeEnvironmentVariables. */
  env: KeyValue[];
  mounts: Mount[];
  /** Relative to the sandbox's logDirectory; see containerLogPath. */
  logPath: string;
  /** The image's users and groups (readImageUsers), to resolve user names and group memberships. */
  users?: ImageUsers;
}

export function containerConfig(input: ContainerConfigInput): ContainerConfig {
  const { pod, container, attempt, image } = input;
  const process = containerCommand(container, image, input.env);
  const { user, security } = containerSecurity(pod, container, image, input.users);
  const config: ContainerConfig = {
    metadata: { name: container.name, attempt },
    rootfsPath: input.rootfsPath,
    command: process.command,
    args: process.args,
    env: containerEnvironment(image, input.env),
    mounts: input.mounts,
    user,
    security,
    resources: linuxContainerResources(container),
    logPath: input.logPath,
    labels: containerLabels(pod, container),
    annotations: containerAnnotations(pod, container, attempt),
  };
  if (process.workingDir !== undefined) config.workingDir = process.workingDir;
  // Stdin, StdinOnce and Tty of the CRI's ContainerConfig: what `kubectl attach` reaches.
  if (container.stdin) config.stdin = true;
  if (container.stdinOnce) config.stdinOnce = true;
  if (container.tty) config.tty = true;
  const stopSignal = imageStopSignal(image);
  if (stopSignal !== undefined) config.stopSignal = stopSignal;
  return config;
}

/** The image's STOPSIGNAL, as containerd reads it; a name that is no signal fails the container's creation. */
function imageStopSignal(image: ImageConfig): string | undefined {
  const text = image.config?.StopSignal;
  if (text === undefined || text === '') return undefined;
  const signal = parseSignal(text);
  if (signal === undefined) throw new CreateContainerError(`failed to parse stop signal: unsupported signal ${JSON.stringify(text)}`);
  return signal;
}

/** The kubelet's buildContainerLogsPath: NAME/RESTART_COUNT.log. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return `${containerName}/${restartCount}.log`;
}
