// What a FakeRuntime process sees of its environment, derived from its configs with the same
// rules the real runtime applies (capabilities, hostname, resolv.conf, PID namespace sharing).
import { readFileSync } from 'node:fs';
import { capabilityMask, containerCapabilities } from './oci/capabilities.ts';
import { podHostname, withDefaults } from './oci/namespaces.ts';
import { INFRA_COMMAND } from './oci/sandbox_spec.ts';
import { resolvConf } from './pod_files.ts';
import type { ContainerConfig, PodSandboxConfig } from './runtime.ts';

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
}

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
  };
}
