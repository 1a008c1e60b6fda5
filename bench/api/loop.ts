// A closed loop: `concurrency` callers, each issuing its next operation as soon as the previous
// one answered, until a duration has passed or a total count was issued. Used on both sides of
// every comparison (HTTP in the load worker, raw store calls in the main thread), so that peapod
// and its lower bound are driven the same way.

export interface LoopOptions {
  concurrency: number;
  /** Stop issuing after this long… */
  durationMs?: number;
  /** …or after this many operations (whichever comes first). */
  total?: number;
}

export interface LoopResult {
  /** Milliseconds per completed operation, in completion order. */
  latencies: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
}

/** `op(i)` gets a distinct sequence number per operation, e.g. for distinct object names. */
export async function closedLoop(options: LoopOptions, op: (i: number) => Promise<void>): Promise<LoopResult> {
  if (options.durationMs === undefined && options.total === undefined) throw new Error('closedLoop: needs durationMs or total');
  const start = performance.now();
  const deadline = start + (options.durationMs ?? Infinity);
  const total = options.total ?? Infinity;
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const caller = async () => {
    while (next < total && performance.now() < deadline) {
      const i = next++;
      const began = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - began);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, caller));
  return { latencies, errors, firstError, elapsedMs: performance.now() - start };
}
