// Stop signals by name: what an image's STOPSIGNAL may say ("SIGQUIT", "QUIT", "3") turned into
// the one spelling the runtime stores and runc takes, and the 128+N exit code a death by it gives.
import { constants } from 'node:os';

const numbers = constants.signals as Record<string, number>;

/** "SIGQUIT", "quit" or "3" → "SIGQUIT"; undefined for what names no signal. */
export function parseSignal(text: string): string | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const n = Number(trimmed);
    return Object.keys(numbers).find((name) => numbers[name] === n);
  }
  const upper = trimmed.toUpperCase();
  const name = upper.startsWith('SIG') ? upper : `SIG${upper}`;
  return numbers[name] === undefined ? undefined : name;
}

/** The signal's number (SIGTERM → 15); 15 for a name it does not know. */
export function signalNumber(name: string): number {
  return numbers[name] ?? numbers.SIGTERM!;
}
