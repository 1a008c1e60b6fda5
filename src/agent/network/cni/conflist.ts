// ADD and DEL of a whole conflist, as libcni's AddNetworkList/DelNetworkList do it:
//   ADD  plugins in order, each gets the previous plugin's result as prevResult
//   DEL  plugins in reverse order, each gets the cached ADD result as prevResult
// A plugin's config is the list's name and cniVersion, its own keys, and runtimeConfig holding
// only the capability arguments the plugin declares in `capabilities`.

import { NetworkError } from '../errors.ts';
import { invokePlugin, type CniCommand } from './exec.ts';
import { isCniResult, type CniResult, type NetConfList, type PluginConf, type RuntimeConf } from './types.ts';

export async function addNetworkList(pluginDirs: string[], list: NetConfList, runtime: RuntimeConf): Promise<CniResult> {
  let prevResult: CniResult | undefined;
  for (const plugin of list.plugins) {
    const output = await invokePlugin({ pluginDirs, type: plugin.type, command: 'ADD', runtime, config: pluginConfig(list, plugin, runtime, prevResult) });
    if (!isCniResult(output)) {
      throw new NetworkError('PluginFailed', `plugin type="${plugin.type}" failed (add): no result on stdout`, { plugin: plugin.type, command: 'ADD' });
    }
    prevResult = output;
  }
  if (!prevResult) throw new NetworkError('InvalidArgument', `network "${list.name}" has no plugins`);
  return prevResult;
}

/** Runs every plugin's DEL even when one fails, so one broken step leaks no more than itself. */
export async function delNetworkList(pluginDirs: string[], list: NetConfList, runtime: RuntimeConf, cached: CniResult | undefined): Promise<void> {
  const errors: NetworkError[] = [];
  for (const plugin of [...list.plugins].reverse()) {
    try {
      await invokePlugin({ pluginDirs, type: plugin.type, command: 'DEL', runtime, config: pluginConfig(list, plugin, runtime, cached) });
    } catch (error) {
      errors.push(asNetworkError(error, plugin.type, 'DEL'));
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) {
    throw new NetworkError('PluginFailed', errors.map((e) => e.message).join('; '), { plugin: errors[0]!.plugin, command: 'DEL', cause: errors });
  }
}

export function pluginConfig(list: NetConfList, plugin: PluginConf, runtime: RuntimeConf, prevResult: CniResult | undefined): Record<string, unknown> {
  const config: Record<string, unknown> = { cniVersion: list.cniVersion, name: list.name, ...plugin };
  const runtimeConfig: Record<string, unknown> = {};
  for (const [capability, supported] of Object.entries(plugin.capabilities ?? {})) {
    if (supported && runtime.capabilityArgs[capability] !== undefined) runtimeConfig[capability] = runtime.capabilityArgs[capability];
  }
  if (Object.keys(runtimeConfig).length > 0) config['runtimeConfig'] = runtimeConfig;
  if (prevResult) config['prevResult'] = prevResult;
  return config;
}

function asNetworkError(error: unknown, plugin: string, command: CniCommand): NetworkError {
  if (error instanceof NetworkError) return error;
  return new NetworkError('PluginFailed', `plugin type="${plugin}" failed (${command.toLowerCase()}): ${String(error)}`, { plugin, command, cause: error });
}
