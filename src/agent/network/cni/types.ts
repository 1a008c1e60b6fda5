// The CNI 1.0 data types we read and write (spec: SPEC.md, "Section 5: Result Types").

export const cniVersion = '1.0.0';

/** One plugin's configuration inside a conflist: `type` names the binary, the rest is the plugin's. */
export interface PluginConf {
  type: string;
  capabilities?: Record<string, boolean>;
  [key: string]: unknown;
}

/** A network configuration list: plugins run in order on ADD and in reverse on DEL. */
export interface NetConfList {
  cniVersion: string;
  name: string;
  plugins: PluginConf[];
}

export interface CniInterface {
  name: string;
  mac?: string;
  /** The netns path for interfaces inside the sandbox; absent for host-side ones. */
  sandbox?: string;
}

export interface CniIp {
  /** CIDR notation, e.g. "10.42.0.5/24". */
  address: string;
  gateway?: string;
  interface?: number;
}

export interface CniResult {
  cniVersion: string;
  interfaces?: CniInterface[];
  ips?: CniIp[];
  routes?: { dst: string; gw?: string }[];
  dns?: Record<string, unknown>;
}

/** What the runtime passes besides the config: environment and capability arguments. */
export interface RuntimeConf {
  containerId: string;
  /** '' when the namespace is gone (DEL only). */
  netns: string;
  ifName: string;
  /** CNI_ARGS pairs, in order. */
  args: [string, string][];
  /** Capability name → value, injected as runtimeConfig into plugins that declare it. */
  capabilityArgs: Record<string, unknown>;
}

export function isCniResult(value: unknown): value is CniResult {
  return typeof value === 'object' && value !== null && typeof (value as { cniVersion?: unknown }).cniVersion === 'string';
}
