// A RuntimeHarness over the real runtime (runc, conmon and catatonit on this host), on a temp dir
// of its own with a busybox rootfs.
import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, readlink, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Runc } from '../../src/agent/runtime/conmon/runc.ts';
import { cgroupDirsPresent, removeCgroup } from '../../src/agent/cgroups/cgroupfs.ts';
import { OciRuntime } from '../../src/agent/runtime/oci_runtime.ts';
import type { RuntimeHarness } from './contract.ts';

export async function ociHarness(): Promise<RuntimeHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-runtime-'));
  const stateDir = join(dir, 'state');
  const cgroupParent = `/${dir.split('/').at(-1)}`;
  const options = { stateDir, cgroupParent };
  const runc = new Runc({ path: '/usr/sbin/runc', root: join(stateDir, 'runc') });
  const rootfsPath = await busyboxRootfs(join(dir, 'rootfs'));

  const leftovers = async (): Promise<string[]> => [
    ...(await runc.list()).map((c) => `runc container ${c.id} (${c.status})`),
    ...(await mountsUnder(dir)).map((m) => `mount ${m}`),
    ...(await podCgroups(cgroupParent)).map((d) => `cgroup ${d}`),
    ...(await conmonsFor(stateDir)).map((pid) => `conmon ${pid}`),
  ];

  const harness: RuntimeHarness = {
    runtime: await OciRuntime.open(options), rootfsPath, logDirectory: join(dir, 'logs'), cgroupParent,
    cgroupOf: async (pid) => /^\d+:memory:(.*)$/m.exec(await readFile(`/proc/${pid}/cgroup`, 'utf8'))?.[1] ?? '',
    namespaceOf: (pid, kind) => readlink(`/proc/${pid}/ns/${kind}`),
    hostNamespace: (kind) => readlink(`/proc/self/ns/${kind}`),
    reopen: async () => {
      harness.runtime = await OciRuntime.open(options);
      return harness.runtime;
    },
    killProcess: async (_, container) => { process.kill(container.pid, 'SIGKILL'); },
    now: () => Date.now(),
    leftovers,
    close: async () => {
      const runtime = harness.runtime;
      for (const s of await runtime.listSandboxes()) await runtime.removeSandbox(s.id).catch(() => undefined);
      // Anything the runtime failed to remove: force it, so that a failed test leaves nothing behind.
      for (const c of await runc.list().catch(() => [])) await run('/usr/sbin/runc', ['--root', runc.root, 'delete', '-f', c.id]).catch(() => undefined);
      for (const pid of await conmonsFor(stateDir)) process.kill(pid, 'SIGKILL');
      for (const pod of await podCgroups(cgroupParent)) await removeCgroup(pod).catch(() => undefined);
      await removeCgroup(cgroupParent);
      for (const mount of (await mountsUnder(dir)).reverse()) await run('umount', ['-l', mount]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return harness;
}

const run = promisify(execFile);

async function busyboxRootfs(root: string): Promise<string> {
  await mkdir(join(root, 'bin'), { recursive: true });
  await copyFile('/usr/bin/busybox', join(root, 'bin/busybox'));
  await chmod(join(root, 'bin/busybox'), 0o755);
  for (const name of ['sh', 'sleep', 'echo', 'cat', 'ls', 'grep', 'tr', 'touch', 'hostname', 'unshare', 'stty', 'dd']) await symlink('busybox', join(root, 'bin', name));
  return root;
}

/** Pod cgroups (relative paths) below the parent, in any hierarchy. */
async function podCgroups(cgroupParent: string): Promise<string[]> {
  const pods = new Set<string>();
  for (const dir of await cgroupDirsPresent(cgroupParent)) {
    for (const e of await readdir(dir, { withFileTypes: true })) if (e.isDirectory()) pods.add(`${cgroupParent}/${e.name}`);
  }
  return [...pods];
}

async function mountsUnder(dir: string): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo.split('\n').map((l) => l.split(' ')[4] ?? '').filter((p) => p.startsWith(dir));
}

/** Live (non-zombie) conmon processes whose command line names stateDir. */
async function conmonsFor(stateDir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const [cmdline, stat] = await Promise.all([
      readFile(`/proc/${entry}/cmdline`, 'utf8'), readFile(`/proc/${entry}/stat`, 'utf8'),
    ]).catch(() => ['', '']);
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (cmdline.startsWith('/usr/bin/conmon\0') && cmdline.includes(stateDir) && state !== 'Z') pids.push(Number(entry));
  }
  return pids;
}
