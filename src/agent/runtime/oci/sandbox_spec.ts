// config.json of a pod's infra container: catatonit in pause mode holding the namespaces that the
// pod's containers join (which ones: namespaces.ts). In pause mode catatonit runs no program of
// its own, so nothing but a signal ends the pod; as PID 1 of a shared PID namespace it reaps the
// orphans of every container.
import type { PodSandboxConfig } from '../runtime.ts';
import { ownsUts, podHostname, sandboxNamespaces, withDefaults } from './namespaces.ts';
import { defaultRlimits, DEFAULT_PATH_ENV, MASKED_PATHS, READONLY_PATHS, type HostHardLimits } from './defaults.ts';
import type { OciSpec } from './spec.ts';

/** Where catatonit sits inside the infra rootfs (see infraRootfs in bundle.ts). */
export const INFRA_COMMAND = ['/usr/bin/catatonit', '-P'];

export interface SandboxSpecInput {
  config: PodSandboxConfig;
  /** Read-only directory holding /usr/bin/catatonit (static) and empty mount points. */
  rootfsPath: string;
  /** The pinned network namespace the infra process joins (network 'pod'). */
  netnsPath?: string;
  cgroupsPath: string;
  hostLimits: HostHardLimits;
}

export function sandboxSpec(input: SandboxSpecInput): OciSpec {
  const { config } = input;
  const options = withDefaults(config.namespaceOptions);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: [...INFRA_COMMAND],
      env: [DEFAULT_PATH_ENV],
      cwd: '/',
      // The infra process only waits for signals; it needs no privileges.
      capabilities: { bounding: [], effective: [], permitted: [] },
      rlimits: defaultRlimits(input.hostLimits),
      noNewPrivileges: true,
    },
    root: { path: input.rootfsPath, readonly: true },
    hostname: ownsUts(options) ? podHostname(config, '') : undefined,
    mounts: [
      { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
      { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    ],
    linux: {
      namespaces: sandboxNamespaces(options, input.netnsPath),
      cgroupsPath: input.cgroupsPath,
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
    annotations: { ...config.annotations },
  };
}

