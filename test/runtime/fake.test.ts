import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeRuntime } from '../../src/agent/runtime/fake.ts';
import { runtimeContract, type RuntimeHarness } from './contract.ts';
import { fakeBehaviourOf, fakeExecOf } from './workloads.ts';

runtimeContract('fake', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'peapod-fake-runtime-'));
  let runtime = new FakeRuntime({ behaviour: fakeBehaviourOf, exec: fakeExecOf });
  const harness: RuntimeHarness = {
    runtime,
    rootfsPath: '/nonexistent-rootfs',
    logDirectory: join(dir, 'logs'),
    cgroupParent: '/fake',
    cgroupOf: async (pid) => runtime.cgroupOf(pid),
    namespaceOf: async (pid, kind) => runtime.namespaceOf(pid, kind),
    hostNamespace: async (kind) => runtime.hostNamespace(kind),
    reopen: async () => {
      runtime = runtime.reopen();
      harness.runtime = runtime;
      return runtime;
    },
    killProcess: async (_, container) => runtime.exitContainer(container.id, 137),
    now: () => runtime.clock.now().getTime(),
    leftovers: async () => [],
    close: () => rm(dir, { recursive: true, force: true }),
  };
  return harness;
});
