// An in-memory Runtime for fast tests of the pod worker. Processes are scripted: a behaviour says
// what a container prints (possibly from what it sees: FakeProcessView), whether it exits by
// itself and how it answers SIGTERM. Time is a FakeClock that stopContainer advances instead of
// waiting. reopen() models an agent restart: a new runtime over the same state.
import { appendFile, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fakeExec, type FakeExecHandler } from './fake_exec.ts';
import { processView, type FakeProcessView } from './fake_view.ts';
import { containerCapabilities } from './oci/capabilities.ts';
import { signalNumber } from './signals.ts';
import { withDefaults } from './oci/namespaces.ts';
import {
  exitReason, matchesFilter, matchesLabels, RuntimeError, type ContainerConfig, type ContainerFilter, type ContainerStatus,
  type AttachOptions, type ExecOptions, type ExecProcess, type PodSandboxConfig, type RunSandboxOptions, type PodSandboxStatus, type Runtime, type SandboxFilter,
} from './runtime.ts';

export type { FakeProcessView } from './fake_view.ts';
export type { FakeExecHandler, FakeExecResult } from './fake_exec.ts';

export interface FakeBehaviour {
  /** Lines written to stdout (in the CRI log) when the container starts. */
  stdout?: string[];
  /** What the process does when it starts; its result is written to stdout after `stdout`. */
  run?: (view: FakeProcessView) => string[];
  /** Exit right after start with this code; without it the process runs until signalled. */
  exitCode?: number;
  ignoresSigterm?: boolean;
  /** Exit code on SIGTERM; 143 (128+15) when the process has no handler. */
  sigtermExitCode?: number;
  /** Bytes the process touches at start: beyond its memory limit the OOM killer ends it (137, OOMKilled). */
  allocatesBytes?: number;
  /**
   * The signals the process handles, with the code it exits with on each; with it, a stop signal
   * it does not handle is ignored, as by a shell that is PID 1 (SIGKILL after the timeout).
   */
  onSignal?: Record<string, number>;
}

export class FakeClock {
  private ms: number;
  constructor(start = Date.parse('2026-01-01T00:00:00Z')) { this.ms = start; }
  now(): Date { return new Date(this.ms); }
  advance(ms: number): void { this.ms += ms; }
}

export interface FakeRuntimeOptions {
  behaviour?: (config: ContainerConfig) => FakeBehaviour;
  clock?: FakeClock;
  /** The node's hostname, seen by pods on the node's network; defaults to this host's. */
  nodeHostname?: string;
  /** What exec'd commands do; without it no command exists in any container. */
  exec?: FakeExecHandler;
}

interface FakeSandbox { status: PodSandboxStatus; config: PodSandboxConfig; netNamespace: string; shm: Map<string, string> }
interface FakeContainer { status: ContainerStatus; config: ContainerConfig; behaviour: FakeBehaviour; pidNamespace: string; execs: Set<ExecProcess> }

/** Everything a restart keeps: what the real runtime finds in its stateDir. */
interface FakeState {
  sandboxes: Map<string, FakeSandbox>;
  containers: Map<string, FakeContainer>;
  nodeShm: Map<string, string>;
  nextPid: number;
}

/** Where the real runtime puts a sandbox without a cgroupParent, under its own parent. */
function sandboxCgroupParent(sandbox: FakeSandbox): string {
  return sandbox.config.cgroupParent ?? `/fake/pod-${sandbox.status.id}`;
}

const HOST_NET = 'net:[host]';
const HOST_PID = 'pid:[host]';

export class FakeRuntime implements Runtime {
  readonly clock: FakeClock;
  private readonly options: FakeRuntimeOptions;
  private readonly behaviour: (config: ContainerConfig) => FakeBehaviour;
  private readonly nodeHostname: string;
  private readonly state: FakeState;

  constructor(options: FakeRuntimeOptions = {}, state?: FakeState) {
    this.options = options;
    this.clock = options.clock ?? new FakeClock();
    this.behaviour = options.behaviour ?? (() => ({}));
    this.nodeHostname = options.nodeHostname ?? hostname();
    this.state = state ?? { sandboxes: new Map(), containers: new Map(), nodeShm: new Map(), nextPid: 1000 };
  }

  /** A new runtime over this one's state, as OciRuntime.open over the same stateDir after a restart. */
  reopen(): FakeRuntime {
    return new FakeRuntime({ ...this.options, clock: this.clock }, this.state);
  }

  /** The namespace identity a process is in, as readlink /proc/PID/ns/KIND would name it. */
  namespaceOf(pid: number, kind: 'net' | 'pid'): string {
    for (const s of this.state.sandboxes.values()) {
      if (s.status.pid !== pid) continue;
      if (kind === 'net') return s.netNamespace;
      return s.status.namespaceOptions.pid === 'node' ? HOST_PID : `pid:[${pid}]`;
    }
    for (const c of this.state.containers.values()) {
      if (c.status.pid !== pid) continue;
      if (kind === 'pid') return c.pidNamespace;
      return this.state.sandboxes.get(c.status.sandboxId)?.netNamespace ?? '';
    }
    throw new RuntimeError('NotFound', `no process ${pid}`);
  }

  /** The memory cgroup a process is in, as /proc/PID/cgroup names it. */
  cgroupOf(pid: number): string {
    const sandbox = [...this.state.sandboxes.values()].find((s) => s.status.pid === pid);
    if (sandbox !== undefined) return `${sandboxCgroupParent(sandbox)}/${sandbox.status.id}`;
    const container = [...this.state.containers.values()].find((c) => c.status.pid === pid);
    if (container === undefined) throw new RuntimeError('NotFound', `no process ${pid}`);
    return `${sandboxCgroupParent(this.sandbox(container.status.sandboxId))}/${container.status.id}`;
  }

  /** The node's own namespace of a kind, as readlink /proc/self/ns/KIND in the agent. */
  hostNamespace(kind: 'net' | 'pid'): string {
    return kind === 'net' ? HOST_NET : HOST_PID;
  }

  async runSandbox(config: PodSandboxConfig, options: RunSandboxOptions = {}): Promise<string> {
    const id = `sandbox-${this.state.nextPid}`;
    const pid = this.state.nextPid++;
    const namespaceOptions = withDefaults(config.namespaceOptions);
    const hostNetwork = namespaceOptions.network === 'node';
    this.state.sandboxes.set(id, {
      config: structuredClone(config),
      netNamespace: hostNetwork ? HOST_NET : `net:[${pid}]`,
      shm: namespaceOptions.ipc === 'node' ? this.state.nodeShm : new Map(),
      status: {
        id, metadata: config.metadata, state: 'ready', createdAt: this.clock.now(), pid,
        netNamespacePath: hostNetwork ? '' : `/proc/${pid}/ns/net`, namespaceOptions,
        labels: { ...config.labels }, annotations: { ...config.annotations },
      },
    });
    if (!hostNetwork) options.onNetworkNamespace?.(id, `/proc/${pid}/ns/net`);
    return id;
  }

  async stopSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandbox(sandboxId);
    for (const c of this.containersOf(sandboxId)) await this.stopContainer(c.status.id, 0);
    Object.assign(sandbox.status, { state: 'notready', pid: 0, netNamespacePath: '' });
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    if (!this.state.sandboxes.has(sandboxId)) return;
    for (const c of this.containersOf(sandboxId)) await this.removeContainer(c.status.id);
    this.state.sandboxes.delete(sandboxId);
  }

  async sandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    return structuredClone(this.sandbox(sandboxId).status);
  }

  async listSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]> {
    return [...this.state.sandboxes.values()].filter((s) => matchesLabels(s.status.labels, filter?.labelSelector)).map((s) => structuredClone(s.status));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    if (sandbox.status.state !== 'ready') throw new RuntimeError('InvalidState', `sandbox ${sandboxId} is not ready`);
    if (config.command.length + (config.args ?? []).length === 0) {
      throw new RuntimeError('Failed', `container ${config.metadata.name}: no command`);
    }
    containerCapabilities(config.security); // rejects unknown capability names as the real runtime does
    const pid = this.state.nextPid++;
    const id = `container-${pid}`;
    const sharing = sandbox.status.namespaceOptions.pid;
    this.state.containers.set(id, {
      config: structuredClone(config),
      behaviour: this.behaviour(config),
      execs: new Set(),
      pidNamespace: sharing === 'pod' ? `pid:[${sandbox.status.pid}]` : sharing === 'node' ? HOST_PID : `pid:[${pid}]`,
      status: {
        id, sandboxId, metadata: config.metadata, state: 'created', pid, createdAt: this.clock.now(),
        logPath: join(sandbox.config.logDirectory, config.logPath),
        labels: { ...config.labels }, annotations: { ...config.annotations },
      },
    });
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.status.state !== 'created') throw new RuntimeError('InvalidState', `container ${containerId} was already started`);
    Object.assign(c.status, { state: 'running', startedAt: this.clock.now() });
    await mkdir(dirname(c.status.logPath), { recursive: true });
    await appendFile(c.status.logPath, ''); // conmon creates the log even for a silent process
    const sandbox = this.sandbox(c.status.sandboxId);
    const ran = c.behaviour.run?.(processView({ sandbox: sandbox.config, container: c.config, shm: sandbox.shm, nodeHostname: this.nodeHostname }));
    const lines = [...c.behaviour.stdout ?? [], ...ran ?? []];
    for (const line of lines) await appendFile(c.status.logPath, `${this.clock.now().toISOString()} stdout F ${line}\n`);
    const memoryLimit = c.config.resources?.memoryLimitInBytes ?? Infinity;
    if ((c.behaviour.allocatesBytes ?? 0) > memoryLimit) this.exit(c, 137, true);
    else if (c.behaviour.exitCode !== undefined) this.exit(c, c.behaviour.exitCode);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.container(containerId);
    if (c.status.state === 'exited') return;
    const exitCode = c.status.state === 'running' && timeoutSeconds > 0 ? stopExitCode(c) : undefined;
    if (exitCode !== undefined) return this.exit(c, exitCode);
    if (c.status.state === 'running') this.clock.advance(timeoutSeconds * 1000);
    this.exit(c, 137);
  }

  async removeContainer(containerId: string): Promise<void> {
    if (!this.state.containers.has(containerId)) return;
    await this.stopContainer(containerId, 0);
    this.state.containers.delete(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.container(containerId).status);
  }

  async listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    return [...this.state.containers.values()].map((c) => structuredClone(c.status)).filter((s) => matchesFilter(s, filter));
  }

  /** A fake container's process is `cat` to an attached client: its stdin (with ContainerConfig.stdin) comes back on stdout. */
  async attach(containerId: string, options: AttachOptions): Promise<ExecProcess> {
    const c = this.container(containerId);
    if (c.status.state !== 'running') throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    const stdout = new PassThrough();
    const stdin = options.stdin === true && c.config.stdin === true ? new PassThrough() : undefined;
    stdin?.pipe(stdout);
    return {
      stdin, stdout, stderr: c.config.tty === true ? undefined : new PassThrough(),
      resize: async () => undefined,
      exited: new Promise((resolve) => stdout.once('end', () => resolve(0))),
      kill: () => stdout.end(),
    };
  }

  /** The fake writes its log by path, so a reopen only makes the new (empty) file. */
  async reopenContainerLog(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.status.state !== 'running') throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    await appendFile(c.status.logPath, '');
  }

  async exec(containerId: string, options: ExecOptions): Promise<ExecProcess> {
    const c = this.container(containerId);
    if (c.status.state !== 'running') throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    const proc = fakeExec(c.config, options, this.options.exec ?? (() => undefined));
    c.execs.add(proc);
    void proc.exited.catch(() => undefined).finally(() => c.execs.delete(proc));
    return proc;
  }

  /** Makes a running container exit as if its process ended, e.g. a crash or a kill from outside. */
  exitContainer(containerId: string, exitCode: number): void {
    this.exit(this.container(containerId), exitCode);
  }

  /** The process ends, and with it whatever was exec'd in its container. */
  private exit(c: FakeContainer, exitCode: number, oomKilled = false): void {
    for (const proc of c.execs) proc.kill();
    Object.assign(c.status, { state: 'exited', pid: 0, exitCode, reason: exitReason(exitCode, oomKilled), finishedAt: this.clock.now() });
  }

  private containersOf(sandboxId: string): FakeContainer[] {
    return [...this.state.containers.values()].filter((c) => c.status.sandboxId === sandboxId);
  }

  private sandbox(id: string): FakeSandbox {
    const s = this.state.sandboxes.get(id);
    if (s === undefined) throw new RuntimeError('NotFound', `sandbox ${id} not found`);
    return s;
  }

  private container(id: string): FakeContainer {
    const c = this.state.containers.get(id);
    if (c === undefined) throw new RuntimeError('NotFound', `container ${id} not found`);
    return c;
  }
}

/** How the process answers its stop signal: the exit code it dies with, undefined when it ignores it. */
function stopExitCode(c: FakeContainer): number | undefined {
  const signal = c.config.stopSignal ?? 'SIGTERM';
  const { onSignal, ignoresSigterm, sigtermExitCode } = c.behaviour;
  if (onSignal !== undefined) return onSignal[signal];
  if (signal !== 'SIGTERM') return 128 + signalNumber(signal);
  return ignoresSigterm === true ? undefined : sigtermExitCode ?? 143;
}
