// The real runtime: OCI bundles run by runc through one conmon per container; the sandbox is an
// infra container (catatonit) whose namespaces the pod's containers join.
//
// stateDir/
//   runc/               runc --root (this runtime's containers only)
//   infra-rootfs/       read-only rootfs holding /usr/bin/catatonit
//   exits/ID            exit code written by conmon
//   sockets/ID          conmon's link to the bundle (conmon insists on making it)
//   containers/ID/      bundle (config.json), pid files, attach socket, ctl fifo, infra log, process.json,
//                       oom (the container was OOM killed: conmon/oom.ts)
//   sandboxes/ID/       sandbox.json, the pod's hostname, resolv.conf and shm (pod_files.ts)
//
// Use OciRuntime.open: over the stateDir of an earlier runtime it adopts that runtime's pods.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createWithConmon, reapConmon } from './conmon/conmon.ts';
import { startByExecFifo } from './conmon/exec_fifo.ts';
import { runcExec } from './exec/runc_exec.ts';
import { conmonAttach } from './conmon/attach.ts';
import { reopenLog } from './conmon/ctl.ts';
import { readExitFile, waitForExitFile, type ExitRecord } from './conmon/exit_file.ts';
import { wasOomKilled } from './conmon/oom.ts';
import { Runc } from './conmon/runc.ts';
import { ensureInfraRootfs, writeBundle } from './oci/bundle.ts';
import { removeCgroup } from '../cgroups/cgroupfs.ts';
import { containerSpec } from './oci/container_spec.ts';
import type { HostHardLimits } from './oci/defaults.ts';
import { readHostHardLimits } from './oci/host_limits.ts';
import { podHostname, withDefaults } from './oci/namespaces.ts';
import { sandboxSpec } from './oci/sandbox_spec.ts';
import type { OciSpec } from './oci/spec.ts';
import { createPodFiles, podFilesIn, unmountPodFiles } from './pod_files.ts';
import { writeProcessRecord, writeSandboxRecord, type ProcessRecord } from './records.ts';
import { recoverState } from './recovery.ts';
import {
  exitReason, matchesFilter, matchesLabels, RuntimeError, type ContainerConfig, type ContainerFilter, type ContainerMetadata,
  type AttachOptions, type ContainerStatus, type ExecOptions, type ExecProcess, type PodSandboxConfig, type PodSandboxStatus, type RunSandboxOptions, type Runtime, type SandboxFilter,
} from './runtime.ts';

export interface OciRuntimeOptions {
  stateDir: string;
  /** Where the cgroup of a sandbox without a cgroupParent goes (pod-ID below it), e.g. "/peapod". */
  cgroupParent: string;
  runcPath?: string;
  conmonPath?: string;
  catatonitPath?: string;
  hostLimits?: HostHardLimits;
}

type Process = ProcessRecord;

interface Sandbox {
  config: PodSandboxConfig;
  infra: Process;
}

/** An exit as reported: it never changes once conmon has written it. */
type Exit = ExitRecord & { reason: string };

/** How long a SIGKILLed process may take to be reported by conmon. */
const KILL_GRACE_MS = 10_000;

export class OciRuntime implements Runtime {
  private readonly options: Required<OciRuntimeOptions>;
  private readonly runc: Runc;
  private readonly sandboxes = new Map<string, Sandbox>();
  private readonly containers = new Map<string, Process>();
  private readonly exits = new Map<string, Exit>();

  constructor(options: OciRuntimeOptions) {
    this.options = {
      runcPath: '/usr/sbin/runc', conmonPath: '/usr/bin/conmon', catatonitPath: '/usr/bin/catatonit',
      hostLimits: readHostHardLimits(), ...options,
    };
    this.runc = new Runc({ path: this.options.runcPath, root: join(options.stateDir, 'runc') });
  }

  /** A runtime over stateDir that adopts the sandboxes and containers an earlier runtime left there. */
  static async open(options: OciRuntimeOptions): Promise<OciRuntime> {
    const runtime = new OciRuntime(options);
    const state = await recoverState({
      sandboxesDir: runtime.sandboxesDir(), containersDir: join(options.stateDir, 'containers'),
      exitsDir: runtime.exitDir(), socketsDir: runtime.socketDir(), runc: runtime.runc,
      podCgroup: (id) => runtime.podCgroup(id),
    });
    for (const [id, sandbox] of state.sandboxes) runtime.sandboxes.set(id, sandbox);
    for (const [id, container] of state.containers) runtime.containers.set(id, container);
    return runtime;
  }

  async runSandbox(config: PodSandboxConfig, options: RunSandboxOptions = {}): Promise<string> {
    const id = newId();
    const rootfsPath = await ensureInfraRootfs(join(this.options.stateDir, 'infra-rootfs'), this.options.catatonitPath);
    const { netns } = podFilesIn(this.sandboxDir(id), config);
    const spec = sandboxSpec({ config, rootfsPath, netnsPath: netns, cgroupsPath: this.cgroupsPath(config, id, id), hostLimits: this.options.hostLimits });
    const metadata = { name: 'POD', attempt: config.metadata.attempt };
    const infra = await this.prepareSandbox(id, config)
      .then(() => {
        if (netns !== undefined) options.onNetworkNamespace?.(id, netns);
        return this.launch(id, id, metadata, spec, join(this.dir(id), 'infra.log'), {});
      })
      .catch(async (err: unknown) => {
        await this.removeSandboxFiles(id, config);
        throw err;
      });
    this.sandboxes.set(id, { config, infra });
    try {
      await this.start(infra);
    } catch (err) {
      await this.removeSandbox(id);
      throw err;
    }
    return id;
  }

  async stopSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandbox(sandboxId);
    await Promise.all(this.containersOf(sandboxId).map((c) => this.stop(c, 0)));
    await this.stop(sandbox.infra, 0);
  }

  async removeSandbox(sandboxId: string): Promise<void> {
    const sandbox = this.sandboxes.get(sandboxId);
    if (sandbox === undefined) return;
    await Promise.all(this.containersOf(sandboxId).map((c) => this.removeContainer(c.id)));
    await this.remove(sandbox.infra);
    await this.removeSandboxFiles(sandboxId, sandbox.config);
    this.sandboxes.delete(sandboxId);
  }

  async sandboxStatus(sandboxId: string): Promise<PodSandboxStatus> {
    const { config, infra } = this.sandbox(sandboxId);
    const exit = await this.exitOf(infra);
    const ready = exit === undefined && infra.startedAt !== undefined;
    const namespaceOptions = withDefaults(config.namespaceOptions);
    return {
      id: sandboxId, metadata: config.metadata, state: ready ? 'ready' : 'notready', createdAt: infra.createdAt,
      pid: ready ? infra.pid : 0,
      netNamespacePath: ready && namespaceOptions.network === 'pod' ? `/proc/${infra.pid}/ns/net` : '',
      namespaceOptions, labels: { ...config.labels }, annotations: { ...config.annotations },
    };
  }

  async listSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]> {
    const ids = [...this.sandboxes].filter(([, s]) => matchesLabels(s.config.labels ?? {}, filter?.labelSelector)).map(([id]) => id);
    return Promise.all(ids.map((id) => this.sandboxStatus(id)));
  }

  async createContainer(sandboxId: string, config: ContainerConfig): Promise<string> {
    const sandbox = this.sandbox(sandboxId);
    if ((await this.exitOf(sandbox.infra)) !== undefined) {
      throw new RuntimeError('InvalidState', `sandbox ${sandboxId} is not ready`);
    }
    const id = newId();
    const spec = containerSpec({
      config, infraPid: sandbox.infra.pid, namespaceOptions: withDefaults(sandbox.config.namespaceOptions),
      podFiles: podFilesIn(this.sandboxDir(sandboxId), sandbox.config), cgroupsPath: this.cgroupsPath(sandbox.config, sandboxId, id),
      hostLimits: this.options.hostLimits, arch: process.arch, hostname: podHostname(sandbox.config, hostname()),
    });
    const logPath = join(sandbox.config.logDirectory, config.logPath);
    await mkdir(dirname(logPath), { recursive: true });
    const container = await this.launch(id, sandboxId, config.metadata, spec, logPath, config);
    this.containers.set(id, container);
    return id;
  }

  async startContainer(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.startedAt !== undefined) throw new RuntimeError('InvalidState', `container ${containerId} was already started`);
    await this.start(c);
  }

  async stopContainer(containerId: string, timeoutSeconds: number): Promise<void> {
    await this.stop(this.container(containerId), timeoutSeconds);
  }

  async removeContainer(containerId: string): Promise<void> {
    const c = this.containers.get(containerId);
    if (c === undefined) return;
    await this.remove(c);
    this.containers.delete(containerId);
  }

  async containerStatus(containerId: string): Promise<ContainerStatus> {
    const c = this.container(containerId);
    const exit = await this.exitOf(c);
    const state = exit !== undefined ? 'exited' : c.startedAt !== undefined ? 'running' : 'created';
    return {
      id: c.id, sandboxId: c.sandboxId, metadata: c.metadata, state, pid: exit === undefined ? c.pid : 0,
      createdAt: c.createdAt, startedAt: c.startedAt, finishedAt: exit?.finishedAt, exitCode: exit?.exitCode,
      reason: exit?.reason, logPath: c.logPath,
      labels: { ...c.labels }, annotations: { ...c.annotations },
    };
  }

  async listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]> {
    // Labels first: only the containers they select have their exit files read.
    const ids = [...this.containers].filter(([, c]) => matchesLabels(c.labels, filter?.labelSelector)).map(([id]) => id);
    const selected = await Promise.all(ids.map((id) => this.containerStatus(id)));
    return selected.filter((s) => matchesFilter(s, filter));
  }

  async exec(containerId: string, options: ExecOptions): Promise<ExecProcess> {
    const c = this.container(containerId);
    if (c.startedAt === undefined || (await this.exitOf(c)) !== undefined) {
      throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    }
    return runcExec({ runc: this.runc, containerId, options, dir: join(this.dir(containerId), 'exec', newId().slice(0, 16)) });
  }

  async attach(containerId: string, options: AttachOptions): Promise<ExecProcess> {
    const c = this.container(containerId);
    if (c.startedAt === undefined || (await this.exitOf(c)) !== undefined) {
      throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    }
    return conmonAttach({ bundleDir: this.dir(containerId), stdio: c.stdio ?? {}, stdin: options.stdin === true });
  }

  async reopenContainerLog(containerId: string): Promise<void> {
    const c = this.container(containerId);
    if (c.startedAt === undefined || (await this.exitOf(c)) !== undefined) {
      throw new RuntimeError('InvalidState', `container ${containerId} is not running`);
    }
    await reopenLog(this.dir(containerId), c.logPath);
  }

  /** Writes the bundle and has conmon create the container (runc create). */
  private async launch(
    id: string, sandboxId: string, metadata: ContainerMetadata, spec: OciSpec, logPath: string,
    config: Pick<ContainerConfig, 'labels' | 'annotations' | 'stdin' | 'stdinOnce' | 'tty' | 'stopSignal'>,
  ): Promise<Process> {
    const dir = this.dir(id);
    await writeBundle(dir, spec);
    await mkdir(this.exitDir(), { recursive: true });
    await mkdir(this.socketDir(), { recursive: true });
    try {
      const { pid } = await createWithConmon({
        conmonPath: this.options.conmonPath, runc: this.runc, id, bundleDir: dir, pidFile: join(dir, 'pid'),
        conmonPidFile: join(dir, 'conmon.pid'), logPath, exitDir: this.exitDir(), socketDir: this.socketDir(),
        stdin: config.stdin === true ? { once: config.stdinOnce === true } : undefined, terminal: config.tty === true,
      });
      const record: Process = {
        id, sandboxId, metadata, logPath, createdAt: new Date(), pid,
        labels: { ...config.labels }, annotations: { ...config.annotations },
        stdio: { stdin: config.stdin === true, stdinOnce: config.stdinOnce === true, tty: config.tty === true },
      };
      if (config.stopSignal !== undefined) record.stopSignal = config.stopSignal;
      await writeProcessRecord(dir, record);
      return record;
    } catch (err) {
      if ((await this.runc.state(id)) !== undefined) await this.runc.forceDelete(id);
      await rm(dir, { recursive: true, force: true });
      throw err;
    }
  }

  /** The pod's files and its record; the record last, so that recovery sees a complete sandbox dir. */
  private async prepareSandbox(id: string, config: PodSandboxConfig): Promise<void> {
    await createPodFiles(this.sandboxDir(id), config);
    await writeSandboxRecord(this.sandboxDir(id), config);
  }

  private async removeSandboxFiles(id: string, config: PodSandboxConfig): Promise<void> {
    await unmountPodFiles(this.sandboxDir(id));
    await rm(this.sandboxDir(id), { recursive: true, force: true });
    if (config.cgroupParent === undefined) await removeCgroup(this.podCgroup(id));
  }

  private async start(p: Process): Promise<void> {
    await startByExecFifo(this.runc.root, p.id, p.pid);
    p.startedAt = new Date();
    await writeProcessRecord(this.dir(p.id), p);
  }

  /** The stop signal, up to timeoutSeconds for the exit, then SIGKILL (a never-started process gets SIGKILL at once). */
  private async stop(p: Process, timeoutSeconds: number): Promise<void> {
    if ((await this.exitOf(p)) !== undefined) return;
    if (p.startedAt !== undefined && timeoutSeconds > 0) {
      await this.signal(p, p.stopSignal ?? 'SIGTERM');
      if ((await waitForExitFile(this.exitDir(), p.id, Date.now() + timeoutSeconds * 1000)) !== undefined) return;
    }
    await this.signal(p, 'SIGKILL');
    if ((await waitForExitFile(this.exitDir(), p.id, Date.now() + KILL_GRACE_MS)) === undefined) {
      throw new RuntimeError('Failed', `container ${p.id} did not exit ${KILL_GRACE_MS} ms after SIGKILL`);
    }
  }

  /** A signal may race with the exit; only a failure while the process still runs is an error. */
  private async signal(p: Process, signal: string): Promise<void> {
    await this.runc.kill(p.id, signal).catch(async (err: unknown) => {
      if ((await this.exitOf(p)) === undefined) throw err;
    });
  }

  private async remove(p: Process): Promise<void> {
    await this.stop(p, 0);
    await this.runc.delete(p.id);
    await reapConmon(join(this.dir(p.id), 'conmon.pid'));
    await rm(this.dir(p.id), { recursive: true, force: true });
    await rm(join(this.exitDir(), p.id), { force: true });
    await rm(join(this.socketDir(), p.id), { force: true });
    this.exits.delete(p.id);
  }

  /** The exit and its reason, once conmon wrote it; an OOM kill is looked up while the cgroup is still there. */
  private async exitOf(p: Process): Promise<Exit | undefined> {
    const known = this.exits.get(p.id);
    if (known !== undefined) return known;
    const exit = await readExitFile(this.exitDir(), p.id);
    if (exit === undefined) return undefined;
    const sandbox = this.sandboxes.get(p.sandboxId);
    const oomKilled = sandbox !== undefined && await wasOomKilled(this.dir(p.id), this.cgroupsPath(sandbox.config, p.sandboxId, p.id));
    const recorded = { ...exit, reason: exitReason(exit.exitCode, oomKilled) };
    this.exits.set(p.id, recorded);
    return recorded;
  }

  private containersOf(sandboxId: string): Process[] {
    return [...this.containers.values()].filter((c) => c.sandboxId === sandboxId);
  }

  private sandbox(id: string): Sandbox {
    const s = this.sandboxes.get(id);
    if (s === undefined) throw new RuntimeError('NotFound', `sandbox ${id} not found`);
    return s;
  }

  private container(id: string): Process {
    const c = this.containers.get(id);
    if (c === undefined) throw new RuntimeError('NotFound', `container ${id} not found`);
    return c;
  }

  private podCgroup(sandboxId: string): string {
    return `${this.options.cgroupParent}/pod-${sandboxId}`;
  }

  /** The caller's pod cgroup, or one of the runtime's own per sandbox. */
  private cgroupsPath(config: PodSandboxConfig, sandboxId: string, id: string): string {
    return `${config.cgroupParent ?? this.podCgroup(sandboxId)}/${id}`;
  }

  private dir(id: string): string {
    return join(this.options.stateDir, 'containers', id);
  }

  private sandboxDir(id: string): string {
    return join(this.sandboxesDir(), id);
  }

  private sandboxesDir(): string {
    return join(this.options.stateDir, 'sandboxes');
  }

  private exitDir(): string {
    return join(this.options.stateDir, 'exits');
  }

  private socketDir(): string {
    return join(this.options.stateDir, 'sockets');
  }
}

function newId(): string {
  return randomBytes(32).toString('hex');
}
