// Every served kind's strategy.
import type { Strategy } from '../strategy.ts';
import { deploymentStrategy, replicaSetStrategy } from './apps.ts';
import { namespaceStrategy } from './namespaces.ts';
import { nodeStrategy } from './nodes.ts';
import { podStrategy } from './pods.ts';
import { configMapStrategy, eventStrategy, leaseStrategy, secretStrategy, serviceAccountStrategy, serviceStrategy } from './simple.ts';

export function strategies(): Strategy[] {
  return [
    namespaceStrategy, podStrategy, nodeStrategy, eventStrategy, configMapStrategy, secretStrategy,
    serviceAccountStrategy, serviceStrategy, leaseStrategy, deploymentStrategy, replicaSetStrategy,
  ];
}
