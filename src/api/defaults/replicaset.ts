// apps/v1 SetDefaults_ReplicaSet, plus the pod template's spec defaults.
import type { ReplicaSet } from 'kubernetes-types/apps/v1.d.ts';
import { defaultPodSpec } from './podspec.ts';

export function defaultReplicaSet(rs: ReplicaSet): void {
  rs.spec ??= { selector: {} };
  rs.spec.replicas ??= 1;
  rs.spec.template ??= {};
  rs.spec.template.spec ??= { containers: [] };
  defaultPodSpec(rs.spec.template.spec);
}
