// containerSpec inputs for the spec tests.
import { containerSpec, type ContainerSpecInput } from '../../src/agent/runtime/oci/container_spec.ts';
import type { ContainerConfig } from '../../src/agent/runtime/runtime.ts';

/** containerSpec with the defaults of a plain pod (own network, IPC, per-container PID namespace). */
export function specOf(config: ContainerConfig, input: Partial<Omit<ContainerSpecInput, 'config'>> = {}): ReturnType<typeof containerSpec> {
  return containerSpec({
    config, infraPid: 42, namespaceOptions: { network: 'pod', ipc: 'pod', pid: 'container' }, cgroupsPath: '/peapod/pod-1/2',
    podFiles: { hostname: '/s/hostname', resolvConf: '/s/resolv.conf', shm: '/s/shm' }, hostLimits: { nofile: 20000 }, arch: 'x64', hostname: 'web',
    ...input,
  });
}

