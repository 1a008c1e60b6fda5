// System calls Node has no binding for, made by the launcher's helper itself: mount(2), umount2(2)
// and a network namespace pinned by a bind mount (unshare(2), mount(2), setns(2) back). The mount,
// umount and unshare programs would cost a fork and an exec each, several times per pod.
import { constants } from 'node:os';
import type { Mode } from './frames.ts';
import { helperRequest } from './helper.ts';

/** The mount(2) flags (MS_*) the agent mounts with. */
const mountFlags = { ro: 1, nosuid: 2, nodev: 4, noexec: 8, bind: 4096, rec: 16384 } as const;
export type MountFlag = keyof typeof mountFlags;

export interface Mount {
  source: string;
  target: string;
  fstype: string;
  flags?: MountFlag[];
  /** The filesystem's own options, as the kernel reads them ("size=64m", "lowerdir=…"). */
  data?: string;
}

const errnoNames = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

/** A failed call; errno names the error (ENOENT, EBUSY…), undefined when the helper itself failed. */
export class SyscallError extends Error {
  readonly errno: string | undefined;

  constructor(what: string, code: number, reason: string) {
    super(`${what}: ${reason}`);
    this.name = 'SyscallError';
    this.errno = errnoNames.get(code);
  }
}

export async function mount(m: Mount): Promise<void> {
  const flags = (m.flags ?? []).reduce((all, flag) => all | mountFlags[flag], 0);
  await call('mount', [m.source, m.target, m.fstype, String(flags), m.data ?? ''], `mount(2) of ${m.fstype} on ${m.target}`);
}

/** umount2(2); false when nothing is mounted at target (or there is no target). */
export async function unmount(target: string): Promise<boolean> {
  try {
    await call('umount', [target], `umount(2) of ${target}`);
    return true;
  } catch (err) {
    if (err instanceof SyscallError && (err.errno === 'EINVAL' || err.errno === 'ENOENT')) return false;
    throw err;
  }
}

/** A new network namespace kept by a bind mount on target (an existing file), as `unshare --net=target` makes it. */
export async function newNetworkNamespace(target: string): Promise<void> {
  await call('netns', [target], `a new network namespace on ${target}`);
}

async function call(mode: Mode, argv: string[], what: string): Promise<void> {
  const answer = await helperRequest(mode, argv);
  if (answer.code !== 0) throw new SyscallError(what, answer.code, answer.stderr.toString().trim());
}
