// The processes the contract suite runs: each names the real busybox command and the fake's
// script of the same process (see FakeBehaviour), so that one suite drives both runtimes.
import type { FakeBehaviour, FakeExecHandler, FakeProcessView } from '../../src/agent/runtime/fake.ts';
import type { ContainerConfig } from '../../src/agent/runtime/runtime.ts';

export interface Workload {
  command: string[];
  fake: FakeBehaviour;
}

/** A process that prints what `script` prints in the container and exits 0. */
function probe(script: string, fake: (view: FakeProcessView) => string[]): Workload {
  return { command: ['sh', '-c', script], fake: { run: fake, exitCode: 0 } };
}

export const workloads = {
  /** Says "ready" once it handles SIGTERM (PID 1 ignores signals it has no handler for), runs until SIGTERM, then exits 0. */
  server: { command: ['sh', '-c', 'trap "exit 0" TERM; echo ready; while true; do sleep 0.05; done'], fake: { stdout: ['ready'], sigtermExitCode: 0 } },
  /** Prints a line and exits 3. */
  failing: { command: ['sh', '-c', 'echo hello from app; exit 3'], fake: { stdout: ['hello from app'], exitCode: 3 } },
  /** Handles SIGQUIT alone (exits 0 saying so); as PID 1 it ignores SIGTERM. */
  quitter: {
    command: ['sh', '-c', 'trap "echo got QUIT; exit 0" QUIT; echo ready; while true; do sleep 0.05; done'],
    fake: { stdout: ['ready'], onSignal: { SIGQUIT: 0 } },
  },
  /** Ignores SIGTERM. */
  stubborn: { command: ['sh', '-c', "trap '' TERM; while true; do sleep 0.05; done"], fake: { ignoresSigterm: true } },

  hostname: probe('cat /etc/hostname; hostname', (v) => [v.hostname, v.hostname]),
  resolvConf: probe('cat /etc/resolv.conf', (v) => v.resolvConf.split('\n').filter((l) => l !== '')),
  shmWriter: probe('echo shared > /dev/shm/x', (v) => { v.shm.set('x', 'shared'); return []; }),
  shmReader: probe('cat /dev/shm/x', (v) => (v.shm.has('x') ? [v.shm.get('x')!] : [])),
  /** argv of PID 1 in the container's PID namespace, one per line. */
  pid1: probe("cat /proc/1/cmdline | tr '\\0' '\\n'", (v) => v.pid1),
  procStatus: probe('grep -E "^(Uid|CapEff|NoNewPrivs|Seccomp):" /proc/self/status', (v) => [
    `Uid:\t${v.uid}`, `CapEff:\t${v.capEff}`, `NoNewPrivs:\t${v.noNewPrivs ? 1 : 0}`, `Seccomp:\t${v.seccomp ? 2 : 0}`,
  ]),
  /** A new user namespace needs no capability; only a seccomp filter denies it. */
  userNamespace: probe('unshare -U true 2>/dev/null && echo allowed || echo denied', (v) => [v.seccomp ? 'denied' : 'allowed']),
  /** memory.limit_in_bytes, memory.memsw.limit_in_bytes, cpu.shares, cpu.cfs_quota_us, cpu.cfs_period_us of its own cgroup. */
  cgroupValues: probe(
    'cd /sys/fs/cgroup && cat memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us',
    ({ cgroup: c }) => [c.memoryLimit, c.memorySwapLimit, c.cpuShares, c.cpuQuota, c.cpuPeriod].map(String),
  ),
  /** dd's 64 MiB buffer, filled from /dev/zero: touched memory, then exit 0. */
  memoryHog: { command: ['dd', 'if=/dev/zero', 'of=/dev/null', 'bs=64M', 'count=1'], fake: { allocatesBytes: 64 * 1024 * 1024, exitCode: 0 } },
  rootfsWrite: probe('touch /probe 2>/dev/null && echo writable || echo readonly', (v) => [v.readonlyRootfs ? 'readonly' : 'writable']),
} satisfies Record<string, Workload>;

/** The fake's behaviour for a container config built from one of the workloads. */
export function fakeBehaviourOf(config: ContainerConfig): FakeBehaviour {
  const found = Object.values(workloads).find((w) => w.command.join('\0') === config.command.join('\0'));
  return found?.fake ?? {};
}

/** Commands the exec contract runs in a server container (env GREETING=hello). */
export const execs = {
  outErrExit3: ['sh', '-c', 'echo out $GREETING; echo err >&2; exit 3'],
  cat: ['cat'],
  /** Reads a line, then prints the terminal's size. */
  readThenSize: ['sh', '-c', 'read line; stty size'],
  hang: ['sleep', '30'],
};

/** The fake's answers to the exec commands above: the same output the real ones give. */
export const fakeExecOf: FakeExecHandler = (container, cmd, input) => {
  const greeting = container.env?.find((kv) => kv.key === 'GREETING')?.value ?? '';
  switch (cmd.join(' ')) {
    case execs.outErrExit3.join(' '): return { stdout: `out ${greeting}\n`, stderr: 'err\n', exitCode: 3 };
    case execs.cat.join(' '): return { stdout: input.stdin };
    case execs.readThenSize.join(' '): return { stdout: `${input.size?.height} ${input.size?.width}\n` };
    case execs.hang.join(' '): return { hangs: true };
    default: return undefined;
  }
};
