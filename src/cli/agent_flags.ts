// The node agent's flags, shared by `peapod agent` and the agent embedded in `peapod server`.
import { hostname, networkInterfaces } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { Quantity } from '../api/quantity.ts';
import { parseGoDuration } from '../agent/duration.ts';
import type { LogRotatePolicy } from '../agent/logs/manager.ts';

export const agentFlagOptions = {
  'node-name': { type: 'string' },
  'node-label': { type: 'string', multiple: true },
  'node-ip': { type: 'string' },
  'kubelet-port': { type: 'string', default: '10250' },
  'cni-bridge': { type: 'string', default: 'peapod0' },
  'cgroup-parent': { type: 'string', default: '/peapod' },
  'pod-max-pids': { type: 'string', default: '-1' },
  registries: { type: 'string' },
  'disable-default-registry-endpoint': { type: 'boolean', default: false },
  'container-log-max-size': { type: 'string', default: '10Mi' },
  'container-log-max-files': { type: 'string', default: '5' },
  'container-log-monitor-interval': { type: 'string', default: '10s' },
} as const satisfies ParseArgsConfig['options'];

export interface AgentFlags {
  nodeName: string;
  nodeLabels: Record<string, string>;
  nodeIP: string;
  kubeletPort: number;
  cniBridge: string;
  cgroupParent: string;
  /** The kubelet's --pod-max-pids: pids.max of every pod cgroup; -1 for unlimited. */
  podPidsLimit: number;
  registriesFile?: string;
  /** Registries with mirrors are reached only through them (k3s's flag of the same name). */
  disableDefaultRegistryEndpoint: boolean;
  /** The kubelet's container log rotation; absent with a negative max size (rotation off). */
  containerLogs?: LogRotatePolicy;
}

type AgentFlagValues = { [K in keyof typeof agentFlagOptions]?: (typeof agentFlagOptions)[K] extends { multiple: true } ? string[] : (typeof agentFlagOptions)[K] extends { type: 'boolean' } ? boolean : string };

export function parseAgentFlags(values: AgentFlagValues): AgentFlags {
  const kubeletPort = Number(values['kubelet-port']);
  if (!Number.isInteger(kubeletPort) || kubeletPort < 0 || kubeletPort > 65535) throw new Error(`--kubelet-port: not a port: ${values['kubelet-port']}`);
  const podPidsLimit = Number(values['pod-max-pids'] ?? '-1');
  if (!/^-?\d+$/.test(values['pod-max-pids'] ?? '-1') || !Number.isSafeInteger(podPidsLimit)) {
    throw new Error(`--pod-max-pids: not an integer: ${values['pod-max-pids']}`);
  }
  return {
    nodeName: (values['node-name'] ?? hostname()).toLowerCase(),
    nodeLabels: Object.fromEntries((values['node-label'] ?? []).map(parseLabel)),
    nodeIP: values['node-ip'] ?? defaultNodeIP(),
    kubeletPort,
    cniBridge: values['cni-bridge'] ?? 'peapod0',
    cgroupParent: values['cgroup-parent'] ?? '/peapod',
    podPidsLimit,
    registriesFile: values.registries,
    disableDefaultRegistryEndpoint: values['disable-default-registry-endpoint'] === true,
    containerLogs: logRotatePolicy(values),
  };
}

/** --container-log-* as the kubelet checks them (NewContainerLogManager, its configuration's validation). */
function logRotatePolicy(values: AgentFlagValues): LogRotatePolicy | undefined {
  const sizeText = values['container-log-max-size'] ?? '10Mi';
  let maxSize: number;
  try {
    maxSize = Quantity.parse(sizeText).value();
  } catch (err) {
    throw new Error(`--container-log-max-size: failed to parse container log max size "${sizeText}": ${(err as Error).message}`, { cause: err });
  }
  const maxFiles = Number(values['container-log-max-files'] ?? '5');
  if (!Number.isInteger(maxFiles) || maxFiles <= 1) throw new Error(`--container-log-max-files: invalid MaxFiles ${values['container-log-max-files']}, must be > 1`);
  const monitorIntervalMs = parseGoDuration(values['container-log-monitor-interval'] ?? '10s');
  if (monitorIntervalMs === undefined || monitorIntervalMs < 3000) {
    throw new Error('--container-log-monitor-interval: invalid configuration: containerLogMonitorInterval must be a positive time duration greater than or equal to 3s');
  }
  return maxSize < 0 ? undefined : { maxSize, maxFiles, monitorIntervalMs };
}

function parseLabel(flag: string): [string, string] {
  const at = flag.indexOf('=');
  if (at <= 0) throw new Error(`--node-label: expected key=value, got "${flag}"`);
  return [flag.slice(0, at), flag.slice(at + 1)];
}

/** The first non-loopback IPv4 address, as the kubelet picks its InternalIP; loopback on a machine without one. */
function defaultNodeIP(): string {
  for (const addresses of Object.values(networkInterfaces())) {
    const found = addresses?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}
