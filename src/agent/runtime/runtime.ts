// The container runtime seam, shaped like the Kubernetes CRI RuntimeService.
//
// Contract (every implementation passes test/runtime/contract.ts):
// - A pod sandbox is an infra process that owns the pod's network, IPC and UTS namespaces
//   (hostname = the pod's name). runSandbox returns once that process runs.
// - Containers are created inside a sandbox: they join its network, IPC and UTS namespaces and
//   get their own PID and mount namespaces. NamespaceOptions change that: 'node' uses the node's
//   namespace (network 'node' also the node's UTS, hence hostname), pid 'pod' has every container
//   join the infra's PID namespace, where the infra process is PID 1 and reaps orphans.
// - Container lifecycle:  created ──start──▶ running ──exit/stop──▶ exited ──remove──▶ (gone)
//   A created container may be removed without starting. Nothing restarts a container by itself.
// - stopContainer(id, t) sends the container's stopSignal (SIGTERM by default), waits up to t
//   seconds for the exit, then sends SIGKILL and waits for the exit. Stopping an exited container
//   is a no-op. An exit by signal N reports exitCode 128+N (SIGKILL → 137), as the kubelet shows it.
// - stopSandbox stops every container of the sandbox (timeout 0) and then the infra process;
//   it is idempotent. removeSandbox removes the containers, the infra process and everything the
//   runtime created for the sandbox (runtime state, cgroups, bundles); it is idempotent too.
// - removeContainer on a running container kills it first. Logs are the caller's: the log file
//   stays after removal, as the kubelet deletes log directories itself.
// - attach connects to a running container's process: output written from then on (one stream
//   when the container has a tty), input when the container was created with stdin, resizes of
//   its terminal. The container's own tty setting applies, as the CRI requires. The end of the
//   client's input closes the container's stdin only with stdinOnce; the attach lasts until the
//   container's output ends or the client leaves (containerd's rule: no output is cut short).
// - exec starts a process in a running container, in all of its namespaces and its cgroup, with
//   its environment, user and capabilities; its exit code is reported like a container's. A command
//   that cannot be started rejects `exited` with 'Failed' and shows no output. execSync
//   (exec/exec_sync.ts) runs one to its end within a timeout ('DeadlineExceeded', process killed).
// - Unknown ids raise RuntimeError with code 'NotFound'; wrong-state calls raise 'InvalidState'.
// - Containers see the pod's /etc/hostname, /etc/resolv.conf and a /dev/shm shared by the pod
//   (the node's with ipc 'node'); /etc/hosts is the caller's, passed as a mount.
// - A runtime opened over the stateDir of an earlier one (the agent restarted, even after kill -9)
//   reports the same sandboxes and containers, ids, labels and annotations; containers that
//   exited meanwhile are reported exited with their exit code. Running ones keep running.
//   Opening: `await OciRuntime.open(options)`; the fake models it with `fakeRuntime.reopen()`.
// - Every container writes stdout/stderr to logDirectory/logPath in the CRI log format:
//   `<RFC3339Nano time> <stdout|stderr> <F|P> <text>`.
// - cgroups: a sandbox with a cgroupParent puts its infra process and every container in a cgroup
//   of their own below it; that parent is the caller's to make (with the pod's limits) and to
//   remove. Without one the runtime makes a cgroup per sandbox and removes it with the sandbox.
//   A container's resources are its own cgroup's values (cpu.shares, CFS quota/period, memory
//   limit, memory+swap limit). A container whose process the kernel's OOM killer ended is
//   reported exited with reason 'OOMKilled' (exit code 137 when its first process was the one
//   killed), also by a runtime opened after a restart.

/** PodSandboxMetadata: who the sandbox is for. */
export interface PodSandboxMetadata {
  name: string;
  uid: string;
  namespace: string;
  attempt: number;
}

/**
 * Which namespaces the pod shares with the node (hostNetwork/hostIPC/hostPID) and whether its
 * containers share one PID namespace (shareProcessNamespace: the infra process is PID 1).
 * Like the CRI's NamespaceOption; every field defaults to the pod's own namespace.
 */
export interface NamespaceOptions {
  network?: 'pod' | 'node';
  ipc?: 'pod' | 'node';
  pid?: 'container' | 'pod' | 'node';
}

/** The pod's /etc/resolv.conf, written by the runtime and mounted into every container. */
export interface DnsConfig {
  servers: string[];
  searches: string[];
  options: string[];
}

export interface PodSandboxConfig {
  metadata: PodSandboxMetadata;
  /** Defaults to metadata.name. */
  hostname?: string;
  namespaceOptions?: NamespaceOptions;
  /** Absent: the node's /etc/resolv.conf is copied. */
  dnsConfig?: DnsConfig;
  /** Absolute directory under which container logPaths are resolved. */
  logDirectory: string;
  /** The pod's cgroup (cgroupfs path, e.g. "/kubepods/burstable/pod<UID>"); see the contract above. */
  cgroupParent?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ContainerMetadata {
  name: string;
  attempt: number;
}

export interface KeyValue {
  key: string;
  value: string;
}

export interface Mount {
  containerPath: string;
  hostPath: string;
  readonly?: boolean;
}

/** The numeric identity the process runs as (LinuxContainerUser in the CRI). */
export interface ContainerUser {
  uid: number;
  gid: number;
  supplementalGroups?: number[];
}

/** LinuxContainerSecurityContext of the CRI, after the kubelet resolved the pod's securityContext. */
export interface ContainerSecurity {
  privileged?: boolean;
  /** Capability names without the CAP_ prefix, as in the pod spec ("NET_ADMIN"); "ALL" allowed. */
  capabilities?: { add?: string[]; drop?: string[] };
  readonlyRootfs?: boolean;
  /** allowPrivilegeEscalation: false → true here. */
  noNewPrivileges?: boolean;
  /** Defaults to RuntimeDefault. */
  seccomp?: 'RuntimeDefault' | 'Unconfined';
}

/** LinuxContainerResources of the CRI: the container cgroup's values; absent ones are left to the kernel. */
export interface LinuxContainerResources {
  cpuShares?: number;
  /** Microseconds of run time per cpuPeriod; absent: no quota. */
  cpuQuota?: number;
  cpuPeriod?: number;
  memoryLimitInBytes?: number;
  /** Memory plus swap; equal to memoryLimitInBytes: no swap beyond the limit. */
  memorySwapLimitInBytes?: number;
}

export interface ContainerConfig {
  metadata: ContainerMetadata;
  /** Absolute path of an unpacked root filesystem; it stands in for the CRI's image. */
  rootfsPath: string;
  /** The entrypoint; command followed by args is the process's argv. */
  command: string[];
  args?: string[];
  env?: KeyValue[];
  /** Defaults to "/". */
  workingDir?: string;
  mounts?: Mount[];
  /** Defaults to uid 0, gid 0. */
  user?: ContainerUser;
  security?: ContainerSecurity;
  resources?: LinuxContainerResources;
  /** Relative to the sandbox's logDirectory, e.g. "app/0.log". */
  logPath: string;
  /** What stopContainer sends first, as parseSignal spells it ("SIGQUIT"): the image's STOPSIGNAL. Defaults to SIGTERM. */
  stopSignal?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** The process's stdin stays open for attach (the pod spec's stdin). */
  stdin?: boolean;
  /** stdin closes when the first attached client leaves (stdinOnce). */
  stdinOnce?: boolean;
  /** The process runs on a terminal (tty); its output is one stream. */
  tty?: boolean;
}

export type SandboxState = 'ready' | 'notready';

export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata;
  state: SandboxState;
  createdAt: Date;
  /** PID of the infra process on the host, 0 once it is gone. */
  pid: number;
  /** The namespace that network plugins configure: /proc/PID/ns/net while the sandbox is ready; '' with network 'node'. */
  netNamespacePath: string;
  namespaceOptions: Required<NamespaceOptions>;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type ContainerState = 'created' | 'running' | 'exited';

export interface ContainerStatus {
  id: string;
  sandboxId: string;
  metadata: ContainerMetadata;
  state: ContainerState;
  /** Host PID of the container's first process while created or running, else 0. */
  pid: number;
  createdAt: Date;
  startedAt?: Date;
  finishedAt?: Date;
  /** Set once the state is exited. */
  exitCode?: number;
  /** "OOMKilled" after an OOM kill, else "Completed" for exit 0 and "Error" otherwise, as the kubelet reports it. */
  reason?: string;
  /** Absolute path of the CRI log file. */
  logPath: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface TerminalSize {
  width: number;
  height: number;
}

/** A process to start in a running container (the CRI's ExecRequest). */
export interface ExecOptions {
  cmd: string[];
  /** A terminal for the process: its output comes on stdout alone, with the terminal's line endings. */
  tty?: boolean;
  /** A pipe to the process's stdin; without it the process reads /dev/null. */
  stdin?: boolean;
  /** The terminal's size at the start (tty only). */
  size?: TerminalSize;
}

/** What to attach (the CRI's AttachRequest): stdin only reaches a container started with stdin. */
export interface AttachOptions {
  stdin?: boolean;
}

/** A process started by Runtime.exec; it runs with the container's environment, user and capabilities. */
export interface ExecProcess {
  /** With ExecOptions.stdin; ending it is the process's end of input (^D on a terminal). */
  stdin?: NodeJS.WritableStream;
  /** With a tty, everything the terminal shows. */
  stdout: NodeJS.ReadableStream;
  /** Absent with a tty. */
  stderr?: NodeJS.ReadableStream;
  /** Resizes the process's terminal (SIGWINCH); a no-op without a tty. */
  resize(size: TerminalSize): Promise<void>;
  /**
   * The exit code (128+N after signal N), once the process ended and its output was read.
   * Rejects with RuntimeError 'Failed' when the process could not be started (unknown command…);
   * it then showed no output.
   */
  exited: Promise<number>;
  /** SIGKILL to the process. */
  kill(): void;
}

/** What ExecSync returns: a finished process's whole output. */
export interface ExecSyncResult {
  exitCode: number;
  stdout: Buffer;
  stderr: Buffer;
}

export interface ContainerFilter {
  sandboxId?: string;
  state?: ContainerState;
  /** Every label here, with the same value (the CRI's label_selector). */
  labelSelector?: Record<string, string>;
}

export interface SandboxFilter {
  labelSelector?: Record<string, string>;
}

export interface RunSandboxOptions {
  /**
   * Called once the sandbox's network namespace exists and before its infra process runs, so that
   * the caller can set up the network meanwhile (as CRI-O does with the namespaces it pins before
   * the infra container). The path names the namespace for as long as the sandbox exists. Not
   * called for a sandbox on the node's network.
   */
  onNetworkNamespace?: (sandboxId: string, netnsPath: string) => void;
}

export interface Runtime {
  runSandbox(config: PodSandboxConfig, options?: RunSandboxOptions): Promise<string>;
  stopSandbox(sandboxId: string): Promise<void>;
  removeSandbox(sandboxId: string): Promise<void>;
  sandboxStatus(sandboxId: string): Promise<PodSandboxStatus>;
  listSandboxes(filter?: SandboxFilter): Promise<PodSandboxStatus[]>;

  createContainer(sandboxId: string, config: ContainerConfig): Promise<string>;
  startContainer(containerId: string): Promise<void>;
  stopContainer(containerId: string, timeoutSeconds: number): Promise<void>;
  removeContainer(containerId: string): Promise<void>;
  containerStatus(containerId: string): Promise<ContainerStatus>;
  listContainers(filter?: ContainerFilter): Promise<ContainerStatus[]>;

  /** Starts a process in a running container; InvalidState when it is not running. */
  exec(containerId: string, options: ExecOptions): Promise<ExecProcess>;
  /**
   * Attaches to a running container's own process (the CRI's Attach): its output from now on
   * (stdout alone when the container has a tty), its stdin when the container has one
   * (ContainerConfig.stdin) and options.stdin, its terminal's size. `exited` resolves 0 when the
   * container's output ends; kill() detaches.
   */
  attach(containerId: string, options: AttachOptions): Promise<ExecProcess>;
  /**
   * Has the container's log writer reopen its logPath (the CRI's ReopenContainerLog), after the
   * caller renamed the file away to rotate it: output from then on goes to a new file at
   * logPath, which exists when this resolves. InvalidState when the container is not running
   * (no new file is made then).
   */
  reopenContainerLog(containerId: string): Promise<void>;
}

export type RuntimeErrorCode = 'NotFound' | 'InvalidState' | 'Failed' | 'DeadlineExceeded';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/** The reason a terminated container shows, as CRI-O and containerd give it. */
export function exitReason(exitCode: number, oomKilled = false): string {
  if (oomKilled) return 'OOMKilled';
  return exitCode === 0 ? 'Completed' : 'Error';
}

export function matchesFilter(status: ContainerStatus, filter: ContainerFilter | undefined): boolean {
  if (filter?.sandboxId !== undefined && status.sandboxId !== filter.sandboxId) return false;
  if (filter?.state !== undefined && status.state !== filter.state) return false;
  return matchesLabels(status.labels, filter?.labelSelector);
}

export function matchesLabels(labels: Record<string, string>, selector: Record<string, string> | undefined): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
}
