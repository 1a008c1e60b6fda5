// A bounded wait: a preStop hook gets at most the grace period, then the stop goes ahead whether
// or not the hook returned (it keeps running in the container until the container stops).
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitAtMost(ms: number, until: Promise<unknown>): Promise<void> {
  const cancel = new AbortController();
  const timer = sleep(ms, undefined, { signal: cancel.signal }).catch(() => undefined);
  await Promise.race([until.catch(() => undefined), timer]);
  cancel.abort();
}
