import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Runc } from '../../src/agent/runtime/conmon/runc.ts';
import { writeProcessRecord, writeSandboxRecord } from '../../src/agent/runtime/records.ts';
import { recoverState } from '../../src/agent/runtime/recovery.ts';

test('recovery adopts complete records and discards what an interrupted create left', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-recovery-'));
  try {
    const layout = {
      sandboxesDir: join(dir, 'sandboxes'), containersDir: join(dir, 'containers'), exitsDir: join(dir, 'exits'),
      socketsDir: join(dir, 'sockets'), runc: new Runc({ path: '/usr/sbin/runc', root: join(dir, 'runc') }),
      podCgroup: (id: string) => `/peapod-recovery-test/pod-${id}`,
    };
    const config = { metadata: { name: 'web', uid: 'u', namespace: 'd', attempt: 0 }, logDirectory: '/l', labels: { a: 'b' } };
    const record = (id: string, sandboxId: string) => ({
      id, sandboxId, metadata: { name: id, attempt: 0 }, logPath: '/l/x.log', createdAt: new Date(1000), startedAt: new Date(2000),
      pid: 1, labels: {}, annotations: {},
    });
    for (const id of ['pod', 'app', 'orphan']) await mkdir(join(layout.containersDir, id), { recursive: true });
    await mkdir(join(layout.sandboxesDir, 'pod'), { recursive: true });
    await mkdir(join(layout.sandboxesDir, 'half'), { recursive: true });
    await writeSandboxRecord(join(layout.sandboxesDir, 'pod'), config);
    await writeProcessRecord(join(layout.containersDir, 'pod'), record('pod', 'pod'));
    await writeProcessRecord(join(layout.containersDir, 'app'), record('app', 'pod'));
    await writeProcessRecord(join(layout.containersDir, 'orphan'), record('orphan', 'gone'));
    await mkdir(join(layout.containersDir, 'unrecorded'));
    await writeFile(join(layout.containersDir, 'unrecorded', 'config.json'), '{}');

    const state = await recoverState(layout);
    assert.deepEqual([...state.sandboxes.keys()], ['pod']);
    assert.deepEqual(state.sandboxes.get('pod')?.config, config);
    assert.deepEqual(state.containers.get('app'), record('app', 'pod'));
    assert.deepEqual([...state.containers.keys()], ['app']);
    assert.deepEqual((await readdir(layout.containersDir)).sort(), ['app', 'pod']);
    assert.deepEqual(await readdir(layout.sandboxesDir), ['pod']);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
