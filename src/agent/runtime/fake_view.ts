// What a FakeRuntime process sees of its environment, derived from its configs with the same
// rules the real runtime applies (capabilities, hostname, resolv.conf, PID namespace sharing).
import { readFileSync } from 'node:fs';
import { capabilityMask, containerCapabilities } from './oci/capabilities.ts';
import { podHostname, withDefaults } from './oci/namespaces.ts';
import { INFRA_COMMAND } from './oci/sandbox_spec.ts';
import { resolvConf } from './pod_files.ts';
import type { ContainerConfig, LinuxContainerResources, PodSandboxConfig } from './runtime.ts';

/** What a fake process sees of its environment, as the real runtime sets it up. */
export interface FakeProcessView {
  hostname: string;
  resolvConf: string;
  /** Files in /dev/shm: shared by the pod's containers (by the whole node with ipc 'node'). */
  shm: Map<string, string>;
  /** argv of PID 1 in the process's PID namespace. */
  pid1: string[];
  uid: number;
  /** CapEff of /proc/self/status. */
  capEff: string;
  noNewPrivs: boolean;
  seccomp: boolean;
  readonlyRootfs: boolean;
  /** The container cgroup's files as the process reads them in /sys/fs/cgroup (the kernel's defaults where unset). */
  cgroup: FakeCgroupFiles;
}

export interface FakeCgroupFiles {
  memoryLimit: number;
  memorySwapLimit: number;
  cpuShares: number;
  cpuQuota: number;
  cpuPeriod: number;
}

/** memory.limit_in_bytes with no limit: the largest page-aligned signed 64-bit value, as the kernel shows it. */
const NO_MEMORY_LIMIT = 9223372036854771712;

export interface ProcessViewInput {
  sandbox: PodSandboxConfig;
  container: ContainerConfig;
  shm: Map<string, string>;
  nodeHostname: string;
}

export function processView({ sandbox, container, shm, nodeHostname }: ProcessViewInput): FakeProcessView {
  const security = container.security ?? {};
  const uid = container.user?.uid ?? 0;
  // A non-root process keeps no capabilities across exec (no ambient set), as the kernel does it.
  const caps = uid === 0 ? containerCapabilities(security) : [];
  const pid1 = { container: [...container.command, ...container.args ?? []], pod: INFRA_COMMAND, node: ['/sbin/init'] };
  return {
    hostname: podHostname(sandbox, nodeHostname),
    resolvConf: sandbox.dnsConfig === undefined ? readFileSync('/etc/resolv.conf', 'utf8') : resolvConf(sandbox.dnsConfig),
    shm,
    pid1: [...pid1[withDefaults(sandbox.namespaceOptions).pid]],
    uid,
    capEff: capabilityMask(caps),
    noNewPrivs: security.noNewPrivileges === true,
    seccomp: security.privileged !== true && security.seccomp !== 'Unconfined',
    readonlyRootfs: security.readonlyRootfs === true,
    cgroup: cgroupFiles(container.resources ?? {}),
  };
}

function cgroupFiles(r: LinuxContainerResources): FakeCgroupFiles {
  return {
    memoryLimit: r.memoryLimitInBytes ?? NO_MEMORY_LIMIT,
    memorySwapLimit: r.memorySwapLimitInBytes ?? NO_MEMORY_LIMIT,
    cpuShares: r.cpuShares ?? 1024,
    cpuQuota: r.cpuQuota ?? -1,
    cpuPeriod: r.cpuPeriod ?? 100_000,
  };
}
