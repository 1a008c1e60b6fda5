import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from '../../src/agent/runtime/fake.ts';
import { fakeBehaviourOf, runtimeContract } from './contract.ts';

runtimeContract('fake', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-fake-runtime-'));
  const runtime = new FakeRuntime({ behaviour: fakeBehaviourOf });
  return {
    runtime,
    rootfsPath: '/nonexistent-rootfs',
    logDirectory: join(dir, 'logs'),
    namespaceOf: async (pid, kind) => runtime.namespaceOf(pid, kind),
    now: () => runtime.clock.now().getTime(),
    leftovers: async () => [],
    close: () => rm(dir, { recursive: true, force: true }),
  };
});
