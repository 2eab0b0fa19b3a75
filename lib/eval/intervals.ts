// Confidence intervals for proportions.

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

/** A proportion k/n with its confidence interval. */
export interface Proportion {
  k: number;
  n: number;
  /** k/n; NaN when n = 0. */
  rate: number;
  low: number;
  high: number;
}

/**
 * Wilson score interval for k successes in n trials (Wilson 1927). Unlike the normal approximation it stays inside
 * [0, 1] and is sensible at k = 0 or k = n, which matters for 100-record slices with rates near 0 or 1.
 * n = 0 gives rate NaN and the uninformative interval [0, 1].
 */
export function wilsonInterval(k: number, n: number, z: number = Z95): Proportion {
  if (!Number.isInteger(n) || n < 0) throw new Error(`wilsonInterval: n must be a non-negative integer, received ${n}`);
  if (!Number.isInteger(k) || k < 0 || k > n) throw new Error(`wilsonInterval: k must be an integer in [0, n=${n}], received ${k}`);
  if (!(z > 0)) throw new Error(`wilsonInterval: z must be positive, received ${z}`);
  if (n === 0) return { k, n, rate: NaN, low: 0, high: 1 };
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // Clamp only against rounding; at k = 0 the low end is exactly 0 in exact arithmetic.
  return { k, n, rate: p, low: k === 0 ? 0 : Math.max(0, center - half), high: k === n ? 1 : Math.min(1, center + half) };
}
