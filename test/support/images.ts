// The run's registry: one Debian docker-registry on 127.0.0.1 with the test images pushed, shared
// by every test file. scripts/test.ts starts it and passes its address in PEAPOD_TEST_REGISTRY;
// a test file run on its own starts one for its process.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage } from '../../scripts/test-images/build.ts';
import { push, startRegistry, type TestRegistry } from '../images/registry.ts';

/** Repositories every test registry holds: what unchanged manifests name through a docker.io mirror. */
export const testImages = ['library/busybox:latest', 'library/busybox:1.36'];
/** Busybox whose image config says STOPSIGNAL SIGQUIT. */
export const stopSignalImage = 'library/busybox:stopsignal';

/** Starts a registry and pushes the test images. */
export async function startTestRegistry(): Promise<TestRegistry> {
  const registry = await startRegistry();
  const layouts = await mkdtemp(join(tmpdir(), 'peapod-images-'));
  try {
    buildBusyboxImage(join(layouts, 'busybox'));
    for (const reference of testImages) await push(registry, join(layouts, 'busybox'), reference);
    buildBusyboxImage(join(layouts, 'stopsignal'), 'gzip', { config: { StopSignal: 'SIGQUIT' } });
    await push(registry, join(layouts, 'stopsignal'), stopSignalImage);
  } catch (err) {
    await registry.stop();
    throw err;
  } finally {
    await rm(layouts, { recursive: true, force: true });
  }
  return registry;
}

export interface RegistryLease {
  host: string;
  /** Stops the registry if this process started it. */
  release(): Promise<void>;
}

/** The run's registry, or one of this process's own when the file runs alone. */
export async function testRegistry(): Promise<RegistryLease> {
  const shared = process.env.PEAPOD_TEST_REGISTRY;
  if (shared) return { host: shared, release: async () => undefined };
  const registry = await startTestRegistry();
  return { host: registry.host, release: () => registry.stop() };
}

/**
 * A registries.yaml sending every registry to the test registry over plain http; agents in tests
 * also run with --disable-default-registry-endpoint, so no pull ever leaves the machine.
 */
export async function writeMirrorConfig(dir: string, registryHost: string): Promise<string> {
  const path = join(dir, 'registries.yaml');
  const mirror = (name: string) => `  "${name}":\n    endpoint:\n      - "http://${registryHost}"\n`;
  await writeFile(path, `mirrors:\n${mirror('docker.io')}${mirror('*')}`);
  return path;
}
