// apps/v1 SetDefaults_Deployment, plus the pod template's spec defaults.
import type { Deployment } from 'kubernetes-types/apps/v1.d.ts';
import { defaultPodSpec } from './podspec.ts';

export function defaultDeployment(d: Deployment): void {
  d.spec ??= { selector: {}, template: {} };
  const spec = d.spec;
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ||= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.template ??= {};
  spec.template.spec ??= { containers: [] };
  defaultPodSpec(spec.template.spec);
}
