// Student-t confidence intervals for a mean over seeds (n small, so the normal 1.96 is too narrow:
// t(0.975, 4) = 2.78). The t CDF comes from the regularized incomplete beta function, evaluated by
// its continued fraction (Lentz's method); the quantile by bisection, which is plenty for 2 digits.

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, 9 coefficients): standard constants.
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny; c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny; d = 1 / d; h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d; if (Math.abs(d) < tiny) d = tiny; c = 1 + aa / c; if (Math.abs(c) < tiny) c = tiny; d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t (0 < p < 1). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`studentTQuantile: p must lie in (0, 1), received ${p}`);
  if (!(df > 0)) throw new Error(`studentTQuantile: df must be positive, received ${df}`);
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface TInterval {
  n: number;
  mean: number;
  sd: number;
  /** Half-width: t(1 − α/2, n − 1) · sd / √n. */
  half: number;
  lo: number;
  hi: number;
}

/** Whether an interval has finite bounds (tInterval of fewer than 2 values has none). */
export const hasInterval = (e: Pick<TInterval, 'lo' | 'hi'>): boolean => Number.isFinite(e.lo) && Number.isFinite(e.hi);

/** Mean of `xs` with its (1 − alpha) Student-t interval; n < 2 gives an infinite interval. */
export function tInterval(xs: ArrayLike<number>, alpha = 0.05): TInterval {
  const n = xs.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += xs[i];
  const mean = n === 0 ? NaN : s / n;
  if (n < 2) return { n, mean, sd: NaN, half: Infinity, lo: -Infinity, hi: Infinity };
  let v = 0;
  for (let i = 0; i < n; i++) v += (xs[i] - mean) ** 2;
  const sd = Math.sqrt(v / (n - 1));
  const half = (studentTQuantile(1 - alpha / 2, n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, half, lo: mean - half, hi: mean + half };
}
