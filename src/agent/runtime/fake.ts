// An in-memory Runtime for fast tests of the pod worker. Processes are scripted: a behaviour says
// what a container prints, whether it exits by itself and how it answers SIGTERM. Time is a
// FakeClock that stopContainer advances instead of waiting.
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  exitReason, matchesFilter, RuntimeError, type ContainerConfig, type ContainerFilter, type ContainerStatus,
  type PodSandboxConfig, type PodSandboxStatus, type Runtime,
} from './runtime.ts';

export interface FakeBehaviour {
  /** Lines written to stdout (in the CRI log) when the container starts. */
  stdout?: string[];
  /** Exit right after start with this code; without it the process runs until signalled. */
  exitCode?: number;
  ignoresSigterm?: boolean;
  /** Exit code on SIGTERM; 143 (128+15) when the process has no handler. */
  sigtermExitCode?: number;
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
}

interface FakeSandbox { status: PodSandboxStatus; netNamespace: string; logDirectory: string }
interface FakeContainer { status: ContainerStatus; behaviour: FakeBehaviour; pidNamespace: string }

export class FakeRuntime implements Runtime {
  readonly clock: FakeClock;
  private readonly behaviour: (config: ContainerConfig) => FakeBehaviour;
  private readonly sandboxes = new Map<string, FakeSandbox>();
  private readonly containers = new Map<string, FakeContainer>();
  private nextPid = 1000;

  constructor(options: FakeRuntimeOptions = {}) {
    this.clock = options.clock ?? new FakeClock();
    this.behaviour = options.behaviour ?? (() => ({}));
  }

  /** The namespace identity a process is in, as readlink /proc/PID/ns/KIND would name it. */
  namespaceOf(pid: number, kind: 'net' | 'pid'): string {
    for (const s of this.sandboxes.values()) {
      if (s.status.pid === pid) return kind === 'net' ? s.netNamespace : `pid:[${pid}]`;
    }
    for (const c of this.containers.values()) {
      if (c.status.pid !== pid) continue;
      if (kind === 'pid') return c.pidNamespace;
      return this.sandboxes.get(c.status.sandboxId)?.netNamespace ?? '';
    }
    throw new RuntimeError('NotFound', `no process ${pid}`);
  }

  async runSandbox(config: PodSandboxConfig): Promise<string> {
    const id = `sandbox-${this.nextPid}`;
    const pid = this.nextPid++;
    this.sandboxes.set(id, {
      netNamespace: `net:[${pid}]`,
      logDirectory: config.logDirectory,
      status: {
        id, metadata: config.metadata, state: 'ready', createdAt: this.clock.now(), pid,
        netNamespacePath: `/proc/${pid}/ns/net`, labels: { ...config.labels }, annotations: { ...config.annotations },
      },
    });
    return id;
  }

  async stopSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandbox(sandboxId);
    for (const c of this.containersOf(sandboxId)) await this.stopContainer(c.status.id, 0);
    Object.assign(sandbox.status, { state: 'notready', pid: 0, netNamespacePath: '' });
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    if (!this.sandboxes.has(sandboxId)) return;
    for (const c of this.containersOf(sandboxId)) await this.removeContainer(c.status.id);
    this.sandboxes.delete(sandboxId);
  }

  async sandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    return structuredClone(this.sandbox(sandboxId).status);
  }

  async listSandboxes(): Promise<PodSandboxStatus[]> {
    return [...this.sandboxes.values()].map((s) => structuredClone(s.status));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    if (sandbox.status.state !== 'ready') throw new RuntimeError('InvalidState', `sandbox ${sandboxId} is not ready`);
    if (config.command.length + (config.args ?? []).length === 0) {
      throw new RuntimeError('Failed', `container ${config.metadata.name}: no command`);
    }
    const pid = this.nextPid++;
    const id = `container-${pid}`;
    this.containers.set(id, {
      behaviour: this.behaviour(config),
      pidNamespace: `pid:[${pid}]`,
      status: {
        id, sandboxId, metadata: config.metadata, state: 'created', pid, createdAt: this.clock.now(),
        logPath: join(sandbox.logDirectory, config.logPath),
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
    for (const line of c.behaviour.stdout ?? []) {
      await appendFile(c.status.logPath, `${this.clock.now().toISOString()} stdout F ${line}\n`);
    }
    if (c.behaviour.exitCode !== undefined) this.exit(c, c.behaviour.exitCode);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    const c = this.container(containerId);
    if (c.status.state === 'exited') return;
    if (c.status.state === 'running' && timeoutSeconds > 0 && c.behaviour.ignoresSigterm !== true) {
      return this.exit(c, c.behaviour.sigtermExitCode ?? 143);
    }
    if (c.status.state === 'running') this.clock.advance(timeoutSeconds * 1000);
    this.exit(c, 137);
  }

  async removeContainer(containerId: string): Promise<void> {
    if (!this.containers.has(containerId)) return;
    await this.stopContainer(containerId, 0);
    this.containers.delete(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    return structuredClone(this.container(containerId).status);
  }

  async listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    return [...this.containers.values()].map((c) => structuredClone(c.status)).filter((s) => matchesFilter(s, filter));
  }

  /** Makes a running container exit as if its process ended, e.g. a crash. */
  exitContainer(containerId: string, exitCode: number): void {
    this.exit(this.container(containerId), exitCode);
  }

  private exit(c: FakeContainer, exitCode: number): void {
    Object.assign(c.status, { state: 'exited', pid: 0, exitCode, reason: exitReason(exitCode), finishedAt: this.clock.now() });
  }

  private containersOf(sandboxId: string): FakeContainer[] {
    return [...this.containers.values()].filter((c) => c.status.sandboxId === sandboxId);
  }

  private sandbox(id: string): FakeSandbox {
    const s = this.sandboxes.get(id);
    if (s === undefined) throw new RuntimeError('NotFound', `sandbox ${id} not found`);
    return s;
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (c === undefined) throw new RuntimeError('NotFound', `container ${id} not found`);
    return c;
  }
}
