// The RuntimeDefault seccomp profile, written as a short deny-list: everything is allowed except
// the system calls that containerd's and CRI-O's default profiles keep from containers (kernel
// keyring, kernel modules, kexec/reboot, swap, tracing other processes, mounts and new
// namespaces). Those with a capability in `unless` are allowed again when the container holds it,
// as in the default profiles. A denied call fails with EPERM, clone3 with ENOSYS so that libc
// falls back to clone, whose flags the filter can inspect.
import type { OciSeccomp, OciSyscallRule } from './spec.ts';

const EPERM = 1;
const ENOSYS = 38;

/** CLONE_NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET: one rule each, any set bit denies. */
const NAMESPACE_FLAGS = [0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

interface Denial {
  names: string[];
  /** The call is allowed when the container has this capability. */
  unless?: string;
}

const DENIALS: Denial[] = [
  // The keyring is not namespaced: keys would leak between containers.
  { names: ['add_key', 'keyctl', 'request_key'] },
  { names: ['init_module', 'finit_module', 'delete_module'], unless: 'CAP_SYS_MODULE' },
  { names: ['kexec_load', 'kexec_file_load', 'reboot'], unless: 'CAP_SYS_BOOT' },
  { names: ['ptrace', 'process_vm_readv', 'process_vm_writev', 'kcmp', 'userfaultfd'], unless: 'CAP_SYS_PTRACE' },
  { names: ['acct'], unless: 'CAP_SYS_PACCT' },
  { names: ['open_by_handle_at'], unless: 'CAP_DAC_READ_SEARCH' },
  { names: ['perf_event_open'], unless: 'CAP_PERFMON' },
  {
    names: [
      'mount', 'umount2', 'pivot_root', 'swapon', 'swapoff', 'setns', 'bpf', 'quotactl', 'lookup_dcookie',
      'fsopen', 'fsconfig', 'fsmount', 'fspick', 'move_mount', 'open_tree',
    ],
    unless: 'CAP_SYS_ADMIN',
  },
];

const ARCHITECTURES: Record<string, string[]> = {
  x64: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32'],
  arm64: ['SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
};

/** The profile for a container holding `capabilities`; `arch` is Node's process.arch. */
export function runtimeDefaultSeccomp(capabilities: readonly string[], arch: string): OciSeccomp {
  const held = (cap: string | undefined): boolean => cap !== undefined && capabilities.includes(cap);
  const syscalls: OciSyscallRule[] = DENIALS.filter((d) => !held(d.unless))
    .map((d) => ({ names: d.names, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM }));
  if (!held('CAP_SYS_ADMIN')) syscalls.push(...namespaceDenials());
  return { defaultAction: 'SCMP_ACT_ALLOW', architectures: ARCHITECTURES[arch] ?? [], syscalls };
}

/** unshare and clone with a namespace flag (argument 0 on x86 and arm), and clone3, whose flags sit in memory. */
function namespaceDenials(): OciSyscallRule[] {
  const withFlag = (name: string, flag: number): OciSyscallRule => ({
    names: [name], action: 'SCMP_ACT_ERRNO', errnoRet: EPERM,
    args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
  });
  return [
    ...NAMESPACE_FLAGS.flatMap((flag) => [withFlag('unshare', flag), withFlag('clone', flag)]),
    { names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
  ];
}
