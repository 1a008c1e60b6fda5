// Latency samples → the few numbers a benchmark reports. Percentiles are nearest-rank on the
// sorted samples (no interpolation), so p99 of 100 samples is the 99th smallest.

export interface Summary {
  count: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samples: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count, p50: NaN, p99: NaN, min: NaN, max: NaN, mean: NaN };
  let total = 0;
  for (const value of sorted) total += value;
  return {
    count,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    min: sorted[0]!,
    max: sorted[count - 1]!,
    mean: total / count,
  };
}

/** q in (0, 1]; `sorted` ascending and not empty. */
export function percentile(sorted: Float64Array, q: number): number {
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** Rounds for reports: 3 significant digits below 100, whole numbers above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) >= 100) return Math.round(value);
  return Number(value.toPrecision(3));
}
