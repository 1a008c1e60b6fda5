// The kubelet's image events and waiting messages (pkg/kubelet/images, pkg/kubelet/events), word
// for word: `kubectl describe pod` readers and tools match on them.
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

/** Go's time.Duration.String() of a whole number of milliseconds: 0s, 850ms, 1.234s, 2m3.5s, 1h0m0s. */
export function goDuration(ms: number): string {
  const total = Math.max(0, Math.trunc(ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const seconds = `${Math.floor(millis / 1000)}${millis % 1000 === 0 ? '' : `.${String(millis % 1000).padStart(3, '0').replace(/0+$/, '')}`}s`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}`;
  if (minutes > 0) return `${minutes}m${seconds}`;
  return seconds;
}
