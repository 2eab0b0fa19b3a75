// Exact arithmetic: BigInt rationals and Gaussian rationals (a + bi with rational a, b).
// Every constructor checks the digit cap, so no operation can build a number beyond LIMITS.digits.
import { LIMITS, LimitError } from './limits';

export interface Q {
  readonly n: bigint;
  /** Always > 0; gcd(n, d) = 1. */
  readonly d: bigint;
}

const ZERO_N = 0n;

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

export function gcd(a: bigint, b: bigint): bigint {
  a = abs(a);
  b = abs(b);
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

// A cheap upper bound on decimal digits: bits * log10(2).
function digitsOf(x: bigint): number {
  if (x === 0n) return 1;
  return Math.ceil(abs(x).toString(16).length * 4 * 0.30103);
}

const BIG = 10n ** 300n;

function capped(x: bigint): bigint {
  // toString(16) is linear; only pay for it on large values.
  if ((x > BIG || x < -BIG) && digitsOf(x) > LIMITS.digits) throw new LimitError('digits');
  return x;
}

export function q(n: bigint, d: bigint = 1n): Q {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const g = gcd(n, d);
  if (g !== 1n && g !== 0n) {
    n /= g;
    d /= g;
  }
  return { n: capped(n), d: capped(d) };
}

export const Q0: Q = { n: 0n, d: 1n };
export const Q1: Q = { n: 1n, d: 1n };

export const qAdd = (a: Q, b: Q): Q => q(a.n * b.d + b.n * a.d, a.d * b.d);
export const qSub = (a: Q, b: Q): Q => q(a.n * b.d - b.n * a.d, a.d * b.d);
export const qMul = (a: Q, b: Q): Q => q(a.n * b.n, a.d * b.d);
export const qDiv = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);
export const qNeg = (a: Q): Q => ({ n: -a.n, d: a.d });
export const qEq = (a: Q, b: Q): boolean => a.n === b.n && a.d === b.d;
export const qIsZero = (a: Q): boolean => a.n === ZERO_N;
export const qIsInt = (a: Q): boolean => a.d === 1n;
export const qToNumber = (a: Q): number => {
  const x = Number(a.n) / Number(a.d);
  if (Number.isFinite(x)) return x;
  // Both huge: scale down by the common magnitude.
  const shift = BigInt(Math.max(0, Math.max(a.n.toString().length, a.d.toString().length) - 300));
  const s = 10n ** shift;
  return Number(a.n / s) / Number(a.d / s);
};

/** Parses a decimal literal such as "012.50" or ".35625" exactly. */
export function qFromDecimal(lit: string): Q {
  const e = lit.search(/[eE]/);
  if (e >= 0) {
    const exp = Number(lit.slice(e + 1));
    const scale = qPowInt(q(10n), BigInt(exp));
    return qMul(qFromDecimal(lit.slice(0, e)), scale);
  }
  const dot = lit.indexOf('.');
  if (dot < 0) return q(BigInt(lit));
  const int = lit.slice(0, dot) || '0';
  const frac = lit.slice(dot + 1);
  if (frac === '') return q(BigInt(int));
  return q(BigInt(int + frac), 10n ** BigInt(frac.length));
}

/** a^k for an integer k, refusing results beyond the digit cap before computing them. */
export function qPowInt(a: Q, k: bigint): Q {
  if (k === 0n) return Q1;
  if (qIsZero(a)) {
    if (k < 0n) throw new RangeError('division by zero');
    return Q0;
  }
  const base = k < 0n ? qDiv(Q1, a) : a;
  const e = abs(k);
  const mag = Math.max(digitsOf(base.n), digitsOf(base.d));
  const unit = abs(base.n) === 1n && base.d === 1n;
  if (!unit && (e > 1_000_000n || Number(e) * Math.max(0, mag - 1) > LIMITS.digits)) throw new LimitError('power');
  if (unit) return base.n === 1n || e % 2n === 0n ? Q1 : q(-1n);
  return powBySquaring(base, e, Q1, qMul);
}

/** base^n for n >= 0 by repeated squaring (callers bound n and the result's size first). */
function powBySquaring<T>(base: T, n: bigint, one: T, mul: (a: T, b: T) => T): T {
  let result = one;
  let b = base;
  while (n > 0n) {
    if (n & 1n) result = mul(result, b);
    n >>= 1n;
    if (n > 0n) b = mul(b, b);
  }
  return result;
}

/** Integer k-th root of a non-negative integer when exact, else null. */
export function intRoot(x: bigint, k: number): bigint | null {
  if (x < 0n) return null;
  if (x < 2n) return x;
  const K = BigInt(k);
  // Newton iteration from a power-of-two upper bound.
  const bits = x.toString(2).length;
  let r = 1n << BigInt(Math.ceil(bits / k) + 1);
  for (;;) {
    const next = ((K - 1n) * r + x / r ** (K - 1n)) / K;
    if (next >= r) break;
    r = next;
  }
  while (r ** K > x) r -= 1n;
  while ((r + 1n) ** K <= x) r += 1n;
  return r ** K === x ? r : null;
}

/** Exact k-th root of a rational when it is rational, else null. */
export function qRoot(a: Q, k: number): Q | null {
  if (a.n < 0n) {
    if (k % 2 === 0) return null;
    const r = qRoot(qNeg(a), k);
    return r && qNeg(r);
  }
  const n = intRoot(a.n, k);
  const d = n === null ? null : intRoot(a.d, k);
  return n !== null && d !== null ? q(n, d) : null;
}

export function factorial(n: bigint): Q {
  if (n < 0n) throw new RangeError('negative factorial');
  if (n > BigInt(LIMITS.factorial)) throw new LimitError('factorial');
  let r = 1n;
  for (let i = 2n; i <= n; i++) r *= i;
  return q(r);
}

export function binomial(n: bigint, k: bigint): Q {
  if (k < 0n || n < 0n || k > n) return Q0;
  if (k > n - k) k = n - k;
  if (k > BigInt(LIMITS.factorial)) throw new LimitError('binomial');
  let r = 1n;
  for (let i = 1n; i <= k; i++) r = capped((r * (n - k + i)) / i);
  return q(r);
}

// ---- Gaussian rationals ----

export interface CQ {
  readonly re: Q;
  readonly im: Q;
}

export const cq = (re: Q, im: Q = Q0): CQ => ({ re, im });
export const cAdd = (a: CQ, b: CQ): CQ => cq(qAdd(a.re, b.re), qAdd(a.im, b.im));
export const cSub = (a: CQ, b: CQ): CQ => cq(qSub(a.re, b.re), qSub(a.im, b.im));
export const cNeg = (a: CQ): CQ => cq(qNeg(a.re), qNeg(a.im));
export const cMul = (a: CQ, b: CQ): CQ =>
  qIsZero(a.im) && qIsZero(b.im)
    ? cq(qMul(a.re, b.re))
    : cq(qSub(qMul(a.re, b.re), qMul(a.im, b.im)), qAdd(qMul(a.re, b.im), qMul(a.im, b.re)));
export function cDiv(a: CQ, b: CQ): CQ {
  if (qIsZero(b.im)) return cq(qDiv(a.re, b.re), qDiv(a.im, b.re));
  const den = qAdd(qMul(b.re, b.re), qMul(b.im, b.im));
  const num = cMul(a, cq(b.re, qNeg(b.im)));
  return cq(qDiv(num.re, den), qDiv(num.im, den));
}
export const cEq = (a: CQ, b: CQ): boolean => qEq(a.re, b.re) && qEq(a.im, b.im);
export const cIsReal = (a: CQ): boolean => qIsZero(a.im);
export const cIsZero = (a: CQ): boolean => qIsZero(a.re) && qIsZero(a.im);
export function cPowInt(a: CQ, k: bigint): CQ {
  if (cIsReal(a)) return cq(qPowInt(a.re, k));
  if (k < 0n) return cDiv(cq(Q1), cPowInt(a, -k));
  if (k > 10_000n) throw new LimitError('power');
  return powBySquaring(a, k, cq(Q1), cMul);
}
