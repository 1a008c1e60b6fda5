// The helper's own system calls on this machine: mount(2) with flags and data, umount2(2) with
// "nothing mounted" told apart from a failure, and a pinned network namespace that leaves the
// helper (and what it starts later) in the node's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopLauncher } from '../../src/agent/launcher/helper.ts';
import { run } from '../../src/agent/launcher/launcher.ts';
import { mount, newNetworkNamespace, SyscallError, unmount } from '../../src/agent/launcher/syscalls.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peapod-syscalls-'));
});
after(async () => {
  for (const name of ['tmp', 'busy', 'netns']) await unmount(join(dir, name)).catch(() => undefined);
  await stopLauncher();
  await rm(dir, { recursive: true, force: true });
});

/** The mountinfo line of the mount at path: [mount options, fstype, source, super options]. */
async function mountAt(path: string): Promise<string[] | undefined> {
  for (const line of (await readFile('/proc/self/mountinfo', 'utf8')).split('\n')) {
    const [fields, rest] = line.split(' - ');
    const f = fields?.split(' ') ?? [];
    if (f[4] === path) return [f[5] ?? '', ...(rest ?? '').split(' ')];
  }
  return undefined;
}

const rejectsWith = (errno: string, text: RegExp) => (err: unknown) => err instanceof SyscallError && err.errno === errno && text.test(err.message);

test('mount: flags and the filesystem\'s data; unmount once, then nothing is mounted there', async () => {
  const target = join(dir, 'tmp');
  await run(['mkdir', target]);
  await mount({ source: 'shm', target, fstype: 'tmpfs', flags: ['nosuid', 'nodev', 'noexec'], data: 'mode=1777,size=1m' });
  const [options, fstype, source, superOptions] = (await mountAt(target)) ?? [];
  assert.deepEqual([fstype, source], ['tmpfs', 'shm']);
  assert.match(options!, /^rw,nosuid,nodev,noexec/);
  assert.match(superOptions!, /size=1024k/);
  assert.equal((await stat(target)).mode & 0o7777, 0o1777);
  assert.equal(await unmount(target), true);
  assert.equal(await mountAt(target), undefined);
  assert.equal(await unmount(target), false, 'not a mount point');
  assert.equal(await unmount(join(dir, 'no-such-dir')), false, 'no such path');
});

test('failures carry the call, the target and the errno', async () => {
  await assert.rejects(mount({ source: 'x', target: join(dir, 'missing'), fstype: 'tmpfs' }), rejectsWith('ENOENT', /^mount\(2\) of tmpfs on .*\/missing: No such file or directory$/));
  await assert.rejects(mount({ source: 'x', target: dir, fstype: 'nosuchfs' }), rejectsWith('ENODEV', /No such device/));
  const busy = join(dir, 'busy');
  await run(['mkdir', busy]);
  await mount({ source: 'busy', target: busy, fstype: 'tmpfs' });
  const holder = spawn('sleep', ['30'], { cwd: busy, stdio: 'ignore' });
  try {
    await assert.rejects(unmount(busy), rejectsWith('EBUSY', /^umount\(2\) of .*\/busy: Device or resource busy$/));
  } finally {
    holder.kill();
    await once(holder, 'exit');
  }
  assert.equal(await unmount(busy), true);
});

test('a pinned network namespace: a new one on the file, the helper and its later processes stay in the node\'s', async () => {
  const target = join(dir, 'netns');
  await writeFile(target, '');
  await newNetworkNamespace(target);
  const [, fstype] = (await mountAt(target)) ?? [];
  assert.equal(fstype, 'nsfs');
  const node = await readlink('/proc/self/ns/net');
  const pinned = `net:[${(await stat(target)).ino}]`;
  assert.notEqual(pinned, node);
  assert.equal((await run(['readlink', '/proc/self/ns/net'])).stdout.trim(), node, 'a process started afterwards');
  assert.equal((await run(['nsenter', `--net=${target}`, 'readlink', '/proc/self/ns/net'])).stdout.trim(), pinned);
  await assert.rejects(newNetworkNamespace(join(dir, 'missing')), rejectsWith('ENOENT', /^a new network namespace on .*\/missing: No such file or directory$/));
  assert.equal((await run(['readlink', '/proc/self/ns/net'])).stdout.trim(), node, 'after a failed pin too');
  assert.equal(await unmount(target), true);
});
