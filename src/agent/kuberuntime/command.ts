// What the container's process runs: the image config under the pod spec.
//
//   command / args (Kubernetes docs, "Define a Command and Arguments for a Container"):
//     image Entrypoint  image Cmd   command   args      runs
//     [ep-1]            [foo bar]   —         —         [ep-1 foo bar]
//     [ep-1]            [foo bar]   [ep-2]    —         [ep-2]
//     [ep-1]            [foo bar]   —         [zoo]     [ep-1 zoo]
//     [ep-1]            [foo bar]   [ep-2]    [zoo]     [ep-2 zoo]
//   The kubelet expands $(VAR) in command and args against the container's env (not the
//   image's); the runtime then applies the table (containerd's WithProcessArgs).
//   env: the image's Env with the container's env over it, the runtime's rule: a name the
//   image defines keeps its place and takes the container's value, new names follow.
//   workingDir: the container's, else the image's.
import type { Container } from 'kubernetes-types/core/v1.d.ts';
import type { ImageConfig } from '../images/oci/types.ts';
import type { KeyValue } from '../runtime/runtime.ts';
import { CreateContainerError } from './errors.ts';
import { expand, mappingFor } from './expansion.ts';

export interface ContainerProcess {
  command: string[];
  args: string[];
  workingDir?: string;
}

export function containerCommand(container: Container, image: ImageConfig, env: KeyValue[]): ContainerProcess {
  const mapping = mappingFor(new Map(env.map((kv) => [kv.key, kv.value])));
  const specCommand = (container.command ?? []).map((c) => expand(c, mapping));
  const specArgs = (container.args ?? []).map((a) => expand(a, mapping));
  const entrypoint = image.config?.Entrypoint ?? [];
  const cmd = image.config?.Cmd ?? [];
  let command = specCommand;
  let args = specArgs;
  if (command.length === 0) {
    if (args.length === 0) args = [...cmd];
    // An Entrypoint of [""] is how an image resets its base image's entrypoint.
    if (!(entrypoint.length === 1 && entrypoint[0] === '')) command = [...entrypoint];
  }
  if (command.length === 0 && args.length === 0) {
    throw new CreateContainerError('failed to generate spec: no command specified');
  }
  const workingDir = container.workingDir || image.config?.WorkingDir || undefined;
  return workingDir === undefined ? { command, args } : { command, args, workingDir };
}

/** The image's Env (KEY=VALUE strings) with the container's env replacing or following it. */
export function containerEnvironment(image: ImageConfig, env: KeyValue[]): KeyValue[] {
  const merged = new Map<string, string>();
  for (const entry of image.config?.Env ?? []) {
    const eq = entry.indexOf('=');
    if (eq === -1) merged.set(entry, '');
    else merged.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  for (const kv of env) merged.set(kv.key, kv.value);
  return [...merged].map(([key, value]) => ({ key, value }));
}
