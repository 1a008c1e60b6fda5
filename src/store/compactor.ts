// Periodic compaction, as kube-apiserver does it (every 5 minutes by default): at each tick,
// compact to the revision observed at the previous tick. History of the last interval survives,
// so a watcher that fell one interval behind can still resume; older history is dropped.
//
//   tick 0: observe r0 │ tick 1: compact(r0), observe r1 │ tick 2: compact(r1), observe r2 │ …
import type { Store } from './store.ts';

export interface CompactorOptions {
  intervalMs: number;
  /** Where a failed compaction is reported (the next tick tries again). Default: console.error. */
  onError?: (err: unknown) => void;
}

export interface Compactor {
  stop(): void;
}

export function startCompactor(store: Store, options: CompactorOptions): Compactor {
  const report = options.onError ?? ((err: unknown) => console.error('store compactor:', err));
  let observed: number | undefined;
  let running = false;
  const tick = async () => {
    const current = await store.currentRevision();
    if (observed !== undefined && observed > 0) await store.compact(observed);
    observed = current;
  };
  const timer = setInterval(() => {
    if (running) return; // a slow compaction is not stacked with the next one
    running = true;
    tick()
      .catch(report)
      .finally(() => (running = false));
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
