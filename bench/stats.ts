// Order statistics for the benchmark figures. Pure, so the unit tests can pin
// the exact definitions the report states.

/**
 * The p-th percentile (0–100) by the nearest-rank method: the smallest sample
 * with at least p% of the samples at or below it. Nearest rank never invents a
 * latency nobody saw, which interpolation would.
 */
export function computePercentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError("a percentile of no samples is undefined");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0–100, got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] as number;
}

/** The median; the mean of the two middle samples for an even count. */
export function computeMedian(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError("the median of no samples is undefined");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface SampleSummary {
  count: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function summarizeSamples(values: readonly number[]): SampleSummary {
  if (values.length === 0) throw new RangeError("no samples to summarize");
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return {
    count: values.length,
    min,
    p50: computePercentile(values, 50),
    p95: computePercentile(values, 95),
    p99: computePercentile(values, 99),
    max,
    mean: sum / values.length,
  };
}
