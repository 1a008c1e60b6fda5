// Shared fixtures: a minimal valid pod, defaulted as the API server would before validating.
import type { Pod } from 'kubernetes-types/core/v1.d.ts';
import type { FieldError } from '../../src/api/validation/field.ts';
import { defaultPod } from '../../src/api/defaults/pod.ts';

export function messages(errs: readonly FieldError[]): string[] {
  return errs.map((e) => e.toString());
}

export function newPod(mutate: (pod: Pod) => void = () => {}): Pod {
  const pod: Pod = {
    metadata: { name: 'web', namespace: 'default' },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
  };
  mutate(pod);
  defaultPod(pod);
  return pod;
}
