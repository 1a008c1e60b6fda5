// The labels a kubelet puts on its Node (initialNode) and keeps true on re-registration
// (updateDefaultLabels): hostname, os and arch, in their stable and still-set beta forms.
import { architecture, operatingSystem } from './setters.ts';

export function defaultLabels(nodeName: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': nodeName,
    'kubernetes.io/os': operatingSystem,
    'kubernetes.io/arch': architecture,
    'beta.kubernetes.io/os': operatingSystem,
    'beta.kubernetes.io/arch': architecture,
  };
}

/**
 * The labels of `wanted` that `existing` lacks or holds with another value; empty when none.
 * Labels others added are never removed.
 */
export function labelsToUpdate(existing: Record<string, string> | undefined, wanted: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(wanted).filter(([k, v]) => existing?.[k] !== v));
}
