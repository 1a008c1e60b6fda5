// The kubelet's image events and waiting messages (pkg/kubelet/images, pkg/kubelet/events), word
// for word: `kubectl describe pod` readers and tools match on them.
import { goDuration } from '../duration.ts';
import { parseReference } from './registry/reference.ts';

export const reasons = {
  pulling: 'Pulling',
  pulled: 'Pulled',
  failed: 'Failed',
  backOff: 'BackOff',
  inspectFailed: 'InspectFailed',
  neverPull: 'ErrImageNeverPull',
} as const;

export const messages = {
  pulling: (image: string) => `Pulling image ${quote(image)}`,
  pulled: (image: string, pullMs: number, totalMs: number, size: number) =>
    `Successfully pulled image ${quote(image)} in ${goDuration(pullMs)} (${goDuration(totalMs)} including waiting). Image size: ${size} bytes.`,
  present: (image: string) => `Container image ${quote(image)} already present on machine`,
  failedPull: (image: string, why: string) => `Failed to pull image ${quote(image)}: ${why}`,
  backOff: (image: string) => `Back-off pulling image ${quote(image)}`,
  neverPull: (image: string) => `Container image ${quote(image)} is not present with pull policy of Never`,
  invalidName: (image: string, why: string) => `Failed to apply default image tag ${quote(image)}: couldn't parse image name ${quote(image)}: ${why}`,
  // kuberuntime's startContainer, for every image failure.
  error: (reason: string) => `Error: ${reason}`,
};

/** Why the kubelet (docker/distribution's reference parser) rejects an image name, or undefined. */
export function invalidImageName(image: string): string | undefined {
  try {
    parseReference(image);
    return undefined;
  } catch {
    try {
      parseReference(image.toLowerCase());
      return 'invalid reference format: repository name must be lowercase';
    } catch {
      return 'invalid reference format';
    }
  }
}

// Go's %q of a string: JSON's quoting agrees for the characters image names may hold.
function quote(text: string): string {
  return JSON.stringify(text);
}
