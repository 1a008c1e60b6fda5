// Small builders for the kuberuntime tests.
import type { Container, Pod, PodSpec } from 'kubernetes-types/core/v1.d.ts';
import type { ImageConfig } from '../../src/agent/images/oci/types.ts';

export function makePod(spec: Partial<PodSpec> = {}, meta: Pod['metadata'] = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'ns', uid: 'uid-1', ...meta },
    spec: { containers: [{ name: 'app', image: 'busybox' }], ...spec },
  };
}

export function makeImage(config: ImageConfig['config'] = {}): ImageConfig {
  return { architecture: 'amd64', os: 'linux', config, rootfs: { type: 'layers', diff_ids: [] } };
}

export function withContainer(container: Partial<Container>, spec: Partial<PodSpec> = {}, meta: Pod['metadata'] = {}): { pod: Pod; container: Container } {
  const c: Container = { name: 'app', image: 'busybox', ...container };
  return { pod: makePod({ ...spec, containers: [c] }, meta), container: c };
}
