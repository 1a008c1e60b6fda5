// config.json of an application container: it joins the sandbox's namespaces by path (which ones
// depends on the pod's NamespaceOptions, see namespaces.ts), sees the pod's /etc/hostname,
// /etc/resolv.conf and /dev/shm, and runs with the securityContext the caller resolved.
import { isAbsolute, posix } from 'node:path';
import { RuntimeError, type ContainerConfig, type LinuxContainerResources, type Mount, type NamespaceOptions } from '../runtime.ts';
import { containerCapabilities } from './capabilities.ts';
import { DEFAULT_PATH_ENV, defaultMounts, defaultRlimits, MASKED_PATHS, READONLY_PATHS, type HostHardLimits } from './defaults.ts';
import { containerNamespaces } from './namespaces.ts';
import { runtimeDefaultSeccomp } from './seccomp.ts';
import type { OciMount, OciResources, OciSpec } from './spec.ts';

/** Host paths of the files every container of a pod shares (see pod_files.ts). */
export interface PodFiles {
  hostname: string;
  resolvConf: string;
  /** The pod's /dev/shm tmpfs, or the node's /dev/shm with ipc 'node'. */
  shm: string;
}

export interface ContainerSpecInput {
  config: ContainerConfig;
  /** Host PID of the sandbox's infra process; its namespaces are joined through /proc. */
  infraPid: number;
  namespaceOptions: Required<NamespaceOptions>;
  podFiles: PodFiles;
  cgroupsPath: string;
  hostLimits: HostHardLimits;
  /** Node's process.arch, for the seccomp profile's architectures. */
  arch: string;
  /** The pod's hostname: HOSTNAME in the environment, as containerd and CRI-O set it. */
  hostname: string;
}

export function containerSpec(input: ContainerSpecInput): OciSpec {
  const { config } = input;
  const argv = [...config.command, ...(config.args ?? [])];
  if (argv.length === 0) throw new RuntimeError('Failed', `container ${config.metadata.name}: no command`);
  const user = config.user ?? { uid: 0, gid: 0 };
  const security = config.security ?? {};
  const privileged = security.privileged === true;
  const caps = containerCapabilities(security);
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: config.tty === true,
      user: { uid: user.uid, gid: user.gid, additionalGids: [...(user.supplementalGroups ?? [])] },
      args: argv,
      env: containerEnv(config, input.hostname),
      cwd: config.workingDir || '/',
      capabilities: { bounding: [...caps], effective: [...caps], permitted: [...caps] },
      rlimits: defaultRlimits(input.hostLimits),
      noNewPrivileges: security.noNewPrivileges === true,
    },
    root: { path: config.rootfsPath, readonly: security.readonlyRootfs === true },
    mounts: containerMounts(config, input.podFiles, privileged),
    linux: {
      namespaces: containerNamespaces(input.namespaceOptions, input.infraPid),
      cgroupsPath: input.cgroupsPath,
      resources: containerResources(config.resources, privileged),
      maskedPaths: privileged ? [] : [...MASKED_PATHS],
      readonlyPaths: privileged ? [] : [...READONLY_PATHS],
      // Privileged containers run unconfined, as with containerd and CRI-O.
      seccomp: privileged || security.seccomp === 'Unconfined' ? undefined : runtimeDefaultSeccomp(caps, input.arch),
    },
    annotations: { ...config.annotations },
  };
}

/** The device cgroup (all devices only when privileged) and the container's cgroup values. */
function containerResources(r: LinuxContainerResources | undefined, privileged: boolean): OciResources {
  const resources: OciResources = { devices: [{ allow: privileged, access: 'rwm' }] };
  if (r?.memoryLimitInBytes !== undefined || r?.memorySwapLimitInBytes !== undefined) {
    resources.memory = { limit: r.memoryLimitInBytes, swap: r.memorySwapLimitInBytes };
  }
  if (r?.cpuShares !== undefined || r?.cpuQuota !== undefined || r?.cpuPeriod !== undefined) {
    resources.cpu = { shares: r.cpuShares, quota: r.cpuQuota, period: r.cpuPeriod };
  }
  return resources;
}

/** HOSTNAME first (the config may override it), then the config's env, with PATH when it has none. */
function containerEnv(config: ContainerConfig, hostname: string): string[] {
  const env = [`HOSTNAME=${hostname}`, ...(config.env ?? []).map((kv) => `${kv.key}=${kv.value}`)];
  return env.some((e) => e.startsWith('PATH=')) ? env : [DEFAULT_PATH_ENV, ...env];
}

/** Kernel filesystems, then the pod's files (unless the caller mounts the same path), then the caller's mounts. */
function containerMounts(config: ContainerConfig, files: PodFiles, privileged: boolean): OciMount[] {
  const own = (config.mounts ?? []).map((m) => bindMount(config.metadata.name, m));
  const taken = new Set(own.map((m) => m.destination));
  const readonly = config.security?.readonlyRootfs === true;
  const pod: OciMount[] = [
    { destination: '/etc/hostname', type: 'bind', source: files.hostname, options: ['rbind', 'rprivate', readonly ? 'ro' : 'rw'] },
    { destination: '/etc/resolv.conf', type: 'bind', source: files.resolvConf, options: ['rbind', 'rprivate', readonly ? 'ro' : 'rw'] },
    { destination: '/dev/shm', type: 'bind', source: files.shm, options: ['rbind', 'rprivate', 'nosuid', 'noexec', 'nodev'] },
  ];
  // A privileged container may write to /sys and its cgroups.
  const kernel = defaultMounts().map((m) => privileged && m.destination.startsWith('/sys') ? { ...m, options: m.options.filter((o) => o !== 'ro') } : m);
  return [...kernel, ...pod.filter((m) => !taken.has(m.destination)), ...own];
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
