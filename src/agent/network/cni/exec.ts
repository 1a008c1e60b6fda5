// Runs one CNI plugin binary the way libcni's invoke package does: CNI_* environment on top of
// ours (plugins call iptables, tc, … through PATH), the config on stdin, a result or an error
// object on stdout.

import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { launch } from '../../launcher/launcher.ts';
import { NetworkError, type CniErrorBody } from '../errors.ts';
import type { RuntimeConf } from './types.ts';

export type CniCommand = 'ADD' | 'DEL' | 'CHECK' | 'VERSION';

export interface PluginCall {
  pluginDirs: string[];
  /** The plugin's type, i.e. its binary name. */
  type: string;
  command: CniCommand;
  runtime: RuntimeConf;
  config: Record<string, unknown>;
}

/** Plugins that hang (a stuck iptables lock, say) must not wedge the pod worker forever. */
const pluginTimeoutMs = 120_000;

/** Runs the plugin; resolves with its parsed stdout (undefined when empty, as DEL's is). */
export async function invokePlugin(call: PluginCall): Promise<unknown> {
  const binary = await findPlugin(call.pluginDirs, call.type);
  const env = {
    CNI_COMMAND: call.command,
    CNI_CONTAINERID: call.runtime.containerId,
    CNI_NETNS: call.runtime.netns,
    CNI_IFNAME: call.runtime.ifName,
    CNI_ARGS: call.runtime.args.map(([k, v]) => `${k}=${v}`).join(';'),
    CNI_PATH: call.pluginDirs.join(':'),
  };
  const { code, stdout, stderr } = await run(binary, env, JSON.stringify(call.config));
  if (code !== 0) throw pluginError(call, code, stdout, stderr);
  if (stdout.trim() === '') return undefined;
  try {
    return JSON.parse(stdout) as unknown;
  } catch (cause) {
    throw new NetworkError('PluginFailed', `plugin type="${call.type}" failed (${lower(call.command)}): invalid result: ${stdout.slice(0, 200)}`, {
      plugin: call.type,
      command: call.command,
      cause,
    });
  }
}

/** Like libcni's FindInPath: the first directory that holds an executable of that name. */
export async function findPlugin(dirs: string[], type: string): Promise<string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(type)) {
    throw new NetworkError('InvalidArgument', `invalid plugin type "${type}"`);
  }
  for (const dir of dirs) {
    const candidate = join(dir, type);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; try the next one
    }
  }
  throw new NetworkError('PluginFailed', `failed to find plugin "${type}" in path [${dirs.join(' ')}]`, { plugin: type });
}

/** The message reads like kubelet/CRI-O's: plugin type="bridge" failed (add): <msg>. */
function pluginError(call: PluginCall, exitCode: number, stdout: string, stderr: string): NetworkError {
  const body = parseErrorBody(stdout);
  const detail = body ? body.msg + (body.details ? `: ${body.details}` : '') : (stderr.trim() || stdout.trim() || `exit status ${exitCode}`);
  const context: { plugin: string; command: string; cni?: CniErrorBody } = { plugin: call.type, command: call.command };
  if (body) context.cni = body;
  return new NetworkError('PluginFailed', `plugin type="${call.type}" failed (${lower(call.command)}): ${detail}`, context);
}

function parseErrorBody(stdout: string): CniErrorBody | undefined {
  try {
    const value = JSON.parse(stdout) as { code?: unknown; msg?: unknown; details?: unknown };
    if (typeof value.code !== 'number' || typeof value.msg !== 'string') return undefined;
    const body: CniErrorBody = { code: value.code, msg: value.msg };
    if (typeof value.details === 'string' && value.details !== '') body.details = value.details;
    return body;
  } catch {
    return undefined;
  }
}

function lower(command: CniCommand): string {
  return command.toLowerCase();
}

/** Through the launcher; the CNI_* variables go on top of the agent's environment. */
async function run(binary: string, env: Record<string, string>, stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await launch([binary], { env, input: stdin, timeoutMs: pluginTimeoutMs });
  const stderr = result.stderr.toString() + (result.signal ? ` (killed by ${result.signal})` : '');
  return { code: result.code ?? 128, stdout: result.stdout.toString(), stderr };
}
