// config.json of an application container: it joins the sandbox's network, IPC and UTS
// namespaces by path and gets its own PID and mount namespaces.
import { isAbsolute, posix } from 'node:path';
import { RuntimeError, type ContainerConfig, type Mount } from '../runtime.ts';
import {
  DEFAULT_CAPABILITIES, DEFAULT_PATH_ENV, defaultMounts, defaultRlimits, MASKED_PATHS, READONLY_PATHS,
  type HostHardLimits,
} from './defaults.ts';
import type { OciMount, OciSpec } from './spec.ts';

export interface ContainerSpecInput {
  config: ContainerConfig;
  /** Host PID of the sandbox's infra process; its namespaces are joined through /proc. */
  infraPid: number;
  cgroupsPath: string;
  hostLimits: HostHardLimits;
}

export function containerSpec(input: ContainerSpecInput): OciSpec {
  const { config } = input;
  const argv = [...config.command, ...(config.args ?? [])];
  if (argv.length === 0) throw new RuntimeError('Failed', `container ${config.metadata.name}: no command`);
  const user = config.user ?? { uid: 0, gid: 0 };
  const ns = (kind: string): string => `/proc/${input.infraPid}/ns/${kind}`;
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: user.uid, gid: user.gid, additionalGids: [...(user.supplementalGroups ?? [])] },
      args: argv,
      env: containerEnv(config),
      cwd: config.workingDir || '/',
      capabilities: {
        bounding: [...DEFAULT_CAPABILITIES],
        effective: [...DEFAULT_CAPABILITIES],
        permitted: [...DEFAULT_CAPABILITIES],
      },
      rlimits: defaultRlimits(input.hostLimits),
      noNewPrivileges: false,
    },
    root: { path: config.rootfsPath, readonly: false },
    mounts: [...defaultMounts(), ...(config.mounts ?? []).map((m) => bindMount(config.metadata.name, m))],
    linux: {
      namespaces: [
        { type: 'network', path: ns('net') },
        { type: 'ipc', path: ns('ipc') },
        { type: 'uts', path: ns('uts') },
        { type: 'pid' },
        { type: 'mount' },
      ],
      cgroupsPath: input.cgroupsPath,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
    annotations: { ...config.annotations },
  };
}

/** The config's env, with PATH added when absent since there is no image config to supply one. */
function containerEnv(config: ContainerConfig): string[] {
  const env = (config.env ?? []).map((kv) => `${kv.key}=${kv.value}`);
  return env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_PATH_ENV, ...env];
}

function bindMount(container: string, m: Mount): OciMount {
  if (!isAbsolute(m.containerPath) || !isAbsolute(m.hostPath)) {
    throw new RuntimeError('Failed', `container ${container}: mount paths must be absolute: ${m.hostPath} → ${m.containerPath}`);
  }
  return {
    destination: posix.resolve(m.containerPath),
    type: 'bind',
    source: m.hostPath,
    options: ['rbind', 'rprivate', m.readonly === true ? 'ro' : 'rw'],
  };
}
