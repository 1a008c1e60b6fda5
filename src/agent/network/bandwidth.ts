// Pod bandwidth annotations → the bandwidth plugin's runtimeConfig, with the kubelet's rules
// (pkg/util/bandwidth ExtractPodBandwidthResources): each annotation is a resource quantity in
// bits per second between 1k and 1P; a bad value fails the sandbox with the quantity parser's or
// the range check's message.

import { Quantity, QuantityError } from '../../api/quantity.ts';
import { NetworkError } from './errors.ts';

export const ingressBandwidthAnnotation = 'kubernetes.io/ingress-bandwidth';
export const egressBandwidthAnnotation = 'kubernetes.io/egress-bandwidth';

/** The bandwidth plugin's runtimeConfig.bandwidth (rates and bursts in bits). */
export interface BandwidthEntry {
  ingressRate?: number;
  ingressBurst?: number;
  egressRate?: number;
  egressBurst?: number;
}

const minBandwidth = Quantity.parse('1k');
const maxBandwidth = Quantity.parse('1P');
/** The kubelet passes no burst limit of its own: math.MaxInt32 bits, as its CNI code did. */
const unlimitedBurst = 2 ** 31 - 1;

/**
 * Reads both annotations; undefined when neither is set. Throws NetworkError 'InvalidBandwidth'
 * whose message is the kubelet's ("resource is unreasonably small (< 1kbit)", or the quantity
 * syntax error), prefixed with the annotation it came from.
 */
export function podBandwidth(annotations: Record<string, string> | undefined): BandwidthEntry | undefined {
  const ingress = bitsPerSecond(annotations, ingressBandwidthAnnotation);
  const egress = bitsPerSecond(annotations, egressBandwidthAnnotation);
  if (ingress === undefined && egress === undefined) return undefined;
  const entry: BandwidthEntry = {};
  if (ingress !== undefined) Object.assign(entry, { ingressRate: ingress, ingressBurst: unlimitedBurst });
  if (egress !== undefined) Object.assign(entry, { egressRate: egress, egressBurst: unlimitedBurst });
  return entry;
}

function bitsPerSecond(annotations: Record<string, string> | undefined, key: string): number | undefined {
  const text = annotations?.[key];
  if (text === undefined) return undefined;
  let quantity: Quantity;
  try {
    quantity = Quantity.parse(text);
  } catch (error) {
    if (error instanceof QuantityError) throw invalid(key, text, error.message);
    throw error;
  }
  // Value() rounds up to whole bits, as resource.Quantity.Value does before the comparison.
  const bits = quantity.value();
  if (bits < minBandwidth.value()) throw invalid(key, text, 'resource is unreasonably small (< 1kbit)');
  if (bits > maxBandwidth.value()) throw invalid(key, text, 'resource is unreasonably large (> 1Pbit)');
  return bits;
}

function invalid(key: string, text: string, reason: string): NetworkError {
  return new NetworkError('InvalidBandwidth', `invalid pod annotation ${key}="${text}": ${reason}`);
}
