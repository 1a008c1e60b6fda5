// The pod every case sends: one container with requests, a label, and a nodeName so that the
// server's scheduler leaves it alone — the benchmark measures the API path, not scheduling.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';

export const benchNode = 'bench-node';

export function benchPod(namespace: string, name: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels: { app: 'bench' } },
    spec: {
      nodeName: benchNode,
      containers: [
        {
          name: 'app',
          image: 'busybox:1.36',
          command: ['sleep', '3600'],
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      ],
    },
  };
}

/** A pod body whose name is the placeholder `__NAME__` (see HttpLoad.body). */
export function benchPodTemplate(namespace: string): string {
  return JSON.stringify(benchPod(namespace, '__NAME__'));
}

export function podsPath(namespace: string): string {
  return `/api/v1/namespaces/${namespace}/pods`;
}
