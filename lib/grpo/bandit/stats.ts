// Mean with a normal-approximation 95% interval: the drift summaries of grpo.md §5.5 (mean ± s.e.).

export interface MeanInterval {
  n: number;
  mean: number;
  /** Standard error of the mean (sample std / √n). */
  se: number;
  /** mean ∓ 1.96·se */
  lo: number;
  hi: number;
}

export function meanInterval(xs: ArrayLike<number>): MeanInterval {
  const n = xs.length;
  if (n < 2) throw new Error(`meanInterval: needs at least 2 values, received ${n}`);
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - mean) ** 2;
  const se = Math.sqrt(v / (n - 1) / n);
  return { n, mean, se, lo: mean - 1.96 * se, hi: mean + 1.96 * se };
}

/** Element-wise a − b (the paired difference of two arms run on common random numbers). */
export function pairedDifference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length !== b.length) throw new Error(`pairedDifference: arms have ${a.length} and ${b.length} seeds; pair arms run with the same seeds`);
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}
