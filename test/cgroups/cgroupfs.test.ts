// Removing cgroups on this host's cgroup v1 filesystem, under a root of the test's own.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cgroupDirsPresent, cgroupExists, removeCgroup } from '../../src/agent/cgroups/cgroupfs.ts';

const root = `/peapod-unit-${randomBytes(4).toString('hex')}`;

describe('removing cgroups', () => {
  after(async () => { await removeCgroup(root); });

  test('a cgroup goes with the cgroups below it, from every hierarchy that has it', async () => {
    for (const controller of ['cpu', 'memory']) await mkdir(join('/sys/fs/cgroup', controller, root, 'pod/c1/nested'), { recursive: true });
    await mkdir(join('/sys/fs/cgroup/pids', root, 'pod'), { recursive: true });
    await removeCgroup(`${root}/pod`);
    assert.deepEqual(await cgroupDirsPresent(`${root}/pod`), []);
    assert.equal(await cgroupExists(`${root}/pod`), false);
    assert.equal(await cgroupExists(root), true, 'the parent stays');
  });

  test('a missing cgroup is no error', async () => {
    await removeCgroup(`${root}/never-made`);
  });

  test('a cgroup with a process in it stays, with an error naming it', async () => {
    const busy = `${root}/busy`;
    await mkdir(join('/sys/fs/cgroup/memory', busy), { recursive: true });
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    try {
      await writeFile(join('/sys/fs/cgroup/memory', busy, 'cgroup.procs'), String(sleeper.pid));
      await assert.rejects(removeCgroup(busy), (err: Error) => {
        assert.match(err.message, new RegExp(`removing cgroup /sys/fs/cgroup/memory${busy}: EBUSY`));
        return true;
      });
      assert.equal(await cgroupExists(busy), true);
    } finally {
      await writeFile('/sys/fs/cgroup/memory/cgroup.procs', String(sleeper.pid));
      sleeper.kill('SIGKILL');
    }
    await removeCgroup(busy);
    assert.equal(await cgroupExists(busy), false);
  });
});
