// Small YAML manifests for kubectl `-f -`. Pods get a nodeSelector that no node has unless they
// are bound with `nodeName`: they stay Pending and unscheduled whatever nodes the cluster has,
// which is what the table, describe and delete assertions expect.
export const unschedulableSelector = 'peapod.test/never-matches';

export interface PodOptions {
  namespace?: string;
  labels?: Record<string, string>;
  /** name → image; default one container "app" running nginx:1.25. */
  containers?: Record<string, string>;
  /** Binds the pod to this node (and drops the never-matching nodeSelector). */
  nodeName?: string;
}

export function podManifest(name: string, options: PodOptions = {}): string {
  const containers = options.containers ?? { app: 'nginx:1.25' };
  const lines = ['apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`];
  if (options.namespace) lines.push(`  namespace: ${options.namespace}`);
  if (options.labels) {
    lines.push('  labels:');
    for (const [key, value] of Object.entries(options.labels)) lines.push(`    ${key}: ${JSON.stringify(value)}`);
  }
  lines.push('spec:');
  if (options.nodeName) lines.push(`  nodeName: ${options.nodeName}`);
  else lines.push('  nodeSelector:', `    ${unschedulableSelector}: "true"`);
  lines.push('  containers:');
  for (const [container, image] of Object.entries(containers)) {
    lines.push(`  - name: ${container}`, `    image: ${image}`);
  }
  return `${lines.join('\n')}\n`;
}

export function nodeManifest(name: string): string {
  return `apiVersion: v1
kind: Node
metadata:
  name: ${name}
  labels:
    kubernetes.io/hostname: ${name}
`;
}

/** Several manifests in one stream, as `kubectl create -f -` reads them. */
export function documents(...manifests: string[]): string {
  return manifests.join('---\n');
}
