// What the e2e-agent tests share: pods built in JSON, their status read through kubectl, the
// runc view of a node's data dir, and the node slot (bridge, cgroup parent, CIDR) a running
// agent was given, read back from its command line.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Container, Pod, PodList } from 'kubernetes-types/core/v1.d.ts';
import { kubectl, type KubectlTarget } from '../support/kubectl.ts';
import { eventually } from '../support/wait.ts';

const run = promisify(execFile);

/** A command that ends at once on SIGTERM (sh as PID 1 would ignore it otherwise). */
export function untilTerm(script = ''): string[] {
  return ['sh', '-c', `trap "exit 0" TERM; ${script} sleep 3600 & wait`];
}

export function pod(name: string, containers: Container[], extra: { nodeName?: string; annotations?: Record<string, string> } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(extra.annotations ? { annotations: extra.annotations } : {}) },
    spec: { containers, terminationGracePeriodSeconds: 5, ...(extra.nodeName ? { nodeName: extra.nodeName } : {}) },
  };
}

export async function createPods(server: KubectlTarget, pods: Pod[]): Promise<void> {
  const list = { apiVersion: 'v1', kind: 'List', items: pods };
  const result = await kubectl(server, ['create', '-f', '-'], { input: JSON.stringify(list) });
  if (result.code !== 0) throw new Error(`kubectl create: ${result.stderr}`);
}

export async function getPods(server: KubectlTarget, selector: string[] = []): Promise<Pod[]> {
  const result = await kubectl(server, ['get', 'pods', '-o', 'json', ...selector]);
  if (result.code !== 0) throw new Error(`kubectl get pods: ${result.stderr}`);
  return (JSON.parse(result.stdout) as PodList).items;
}

export async function getPod(server: KubectlTarget, name: string): Promise<Pod> {
  const result = await kubectl(server, ['get', 'pod', name, '-o', 'json']);
  if (result.code !== 0) throw new Error(`kubectl get pod ${name}: ${result.stderr}`);
  return JSON.parse(result.stdout) as Pod;
}

/** Waits until every named pod is Running with all containers ready; returns them by name. */
export async function waitRunning(server: KubectlTarget, names: string[], timeoutMs = 60_000): Promise<Map<string, Pod>> {
  return eventually(`pods ${names.join(', ')} Running and ready`, async () => {
    const byName = new Map((await getPods(server)).map((p) => [p.metadata?.name ?? '', p]));
    const running = names.every((n) => {
      const p = byName.get(n);
      return p?.status?.phase === 'Running' && (p.status.containerStatuses ?? []).every((c) => c.ready);
    });
    return running ? byName : undefined;
  }, timeoutMs, 250);
}

/** "runc://ID" → ID. */
export function runtimeId(containerID: string | undefined): string {
  const match = /^runc:\/\/(.+)$/.exec(containerID ?? '');
  if (!match) throw new Error(`not a runc container ID: ${containerID}`);
  return match[1]!;
}

export function runcRoot(dataDir: string): string {
  return join(dataDir, 'agent', 'runtime', 'runc');
}

export interface RuncContainer {
  id: string;
  pid: number;
  status: string;
}

/** `runc list` of a node's runtime: every container (sandboxes' infra processes too). */
export async function runcList(dataDir: string): Promise<RuncContainer[]> {
  const { stdout } = await run('runc', ['--root', runcRoot(dataDir), 'list', '--format', 'json']);
  return (JSON.parse(stdout.trim() || 'null') as RuncContainer[] | null) ?? [];
}

export async function runcState(dataDir: string, id: string): Promise<RuncContainer> {
  const { stdout } = await run('runc', ['--root', runcRoot(dataDir), 'state', id]);
  return JSON.parse(stdout) as RuncContainer;
}

export interface NodeSlotFlags {
  bridge: string;
  cgroupParent: string;
  /** "10.N." — every pod IP of this node starts so. */
  podIpPrefix: string;
}

/** The isolation flags a running peapod process was started with (/proc/PID/cmdline). */
export async function slotFlagsOf(pid: number): Promise<NodeSlotFlags> {
  const args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  const flag = (name: string) => {
    const value = args[args.indexOf(name) + 1];
    if (!args.includes(name) || value === undefined) throw new Error(`process ${pid} has no ${name}: ${args.join(' ')}`);
    return value;
  };
  const cidr = /^(\d+\.\d+\.)/.exec(flag('--cluster-cidr'))?.[1];
  if (cidr === undefined) throw new Error(`process ${pid}: unexpected --cluster-cidr ${flag('--cluster-cidr')}`);
  return { bridge: flag('--cni-bridge'), cgroupParent: flag('--cgroup-parent'), podIpPrefix: cidr };
}

/** GET http://IP:PORT/PATH from the host, with a deadline per attempt. */
export async function httpGet(url: string, timeoutMs = 2_000): Promise<string> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
