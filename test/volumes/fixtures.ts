// Shared fixtures: a pod builder, API objects served from memory, and a temp root whose mounts
// are all undone afterwards.
import type { ConfigMap, Pod, PodSpec, Secret } from 'kubernetes-types/core/v1.d.ts';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mountsUnder, unmountStacked } from '../../src/agent/volumes/mount.ts';
import { VolumeManager, type DownwardContext, type VolumeSources } from '../../src/agent/volumes/index.ts';

export const context: DownwardContext = {
  nodeName: 'node-1', hostIP: '10.0.0.1', podIP: '10.88.0.5', podIPs: ['10.88.0.5'],
  nodeAllocatable: { cpu: '4', memory: '8Gi', 'ephemeral-storage': '100Gi' },
};

export function makePod(spec: Partial<PodSpec>, uid = 'uid-1'): Pod {
  return {
    metadata: { name: 'web', namespace: 'team', uid, labels: { app: 'web', tier: 'front' }, annotations: { note: 'say "hi"\n' } },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
  };
}

/** ConfigMaps and Secrets by "namespace/name"; tests change them between setUps. */
export class MemorySources implements VolumeSources {
  readonly configMaps = new Map<string, ConfigMap>();
  readonly secrets = new Map<string, Secret>();

  addConfigMap(name: string, data: Record<string, string>, binaryData?: Record<string, string>): void {
    this.configMaps.set(`team/${name}`, { metadata: { name, namespace: 'team' }, data, binaryData });
  }

  addSecret(name: string, data: Record<string, string>): void {
    const encoded = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')]));
    this.secrets.set(`team/${name}`, { metadata: { name, namespace: 'team' }, data: encoded });
  }

  async getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined> {
    return this.configMaps.get(`${namespace}/${name}`);
  }

  async getSecret(namespace: string, name: string): Promise<Secret | undefined> {
    return this.secrets.get(`${namespace}/${name}`);
  }
}

export interface Harness {
  dir: string;
  rootDir: string;
  sources: MemorySources;
  manager: VolumeManager;
  /** Unmounts whatever a test left mounted under dir and removes it. */
  cleanup(): Promise<void>;
}

export function harness(): Harness {
  // Real path: the mount table names mount points without symlinks.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'peapod-volumes-')));
  const rootDir = join(dir, 'pods');
  const sources = new MemorySources();
  return {
    dir, rootDir, sources,
    manager: new VolumeManager({ rootDir, sources }),
    cleanup: async () => {
      for (const mountPoint of mountsUnder(dir)) await unmountStacked(mountPoint);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
