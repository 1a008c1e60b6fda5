// apps/v1 Deployments and ReplicaSets: stored and validated; generation tracks spec changes.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import { validateDeployment, validateDeploymentStatusUpdate, validateDeploymentUpdate } from '../../validation/deployment.ts';
import { validateReplicaSet, validateReplicaSetStatusUpdate, validateReplicaSetUpdate } from '../../validation/replicaset.ts';
import type { KubeObject } from '../object.ts';
import { defaultDeployment } from '../../defaults/deployment.ts';
import { defaultReplicaSet } from '../../defaults/replicaset.ts';
import { defineStrategy } from './define.ts';

export const deploymentStrategy = defineStrategy({
  group: 'apps',
  resource: 'deployments',
  tracksGeneration: true,
  defaults: (obj) => defaultDeployment(obj as Deployment),
  validate: (obj) => validateDeployment(obj as Deployment),
  validateUpdate: (obj, old) => validateDeploymentUpdate(obj as Deployment, old as Deployment),
  validateStatusUpdate: (obj: KubeObject, old: KubeObject) => validateDeploymentStatusUpdate(obj as Deployment, old as Deployment),
});

export const replicaSetStrategy = defineStrategy({
  group: 'apps',
  resource: 'replicasets',
  tracksGeneration: true,
  defaults: (obj) => defaultReplicaSet(obj as ReplicaSet),
  validate: (obj) => validateReplicaSet(obj as ReplicaSet),
  validateUpdate: (obj, old) => validateReplicaSetUpdate(obj as ReplicaSet, old as ReplicaSet),
  validateStatusUpdate: (obj: KubeObject, old: KubeObject) => validateReplicaSetStatusUpdate(obj as ReplicaSet, old as ReplicaSet),
});
