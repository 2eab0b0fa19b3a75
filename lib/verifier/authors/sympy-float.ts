// sympy's arithmetic on decimal literals, for the one place where it decides grade_answer's outcome:
// parse_expr turns "0.5303030303030303" into Float(str) with max(15, significant digits) decimal digits of
// precision, and `Float - Rational` (or `Float - Float`) is zero exactly when both sides round to the same
// binary number at that precision. So sympy accepts 9.88888888888889 for 89/9 and rejects 4.6666666666666670
// against 4.666666666666667, which an exact comparison would decide the other way round.

interface Literal {
  neg: boolean;
  num: bigint;
  den: bigint;
  /** Binary precision sympy gives the value: a Float's, or null for an exact rational. */
  prec: number | null;
}

const DECIMAL_RE = /^([+-]?)([0-9]*)\.?([0-9]*)(?:[eE]([+-]?[0-9]+))?$/;
const FRACTION_RE = /^([+-]?)([0-9]+)(?:\/([0-9]+))?$/;
const MAX_DIGITS = 400;

/** mpmath's dps_to_prec. */
function dpsToPrec(dps: number): number {
  return Math.max(1, Math.round((dps + 1) * 3.3219280948873626));
}

/** A decimal literal (has a point or an exponent), an integer, or an integer ratio; else null. */
function literal(s: string): Literal | null {
  if (s.length > MAX_DIGITS) return null;
  const f = FRACTION_RE.exec(s);
  if (f) {
    const den = BigInt(f[3] ?? '1');
    if (den === 0n) return null;
    return { neg: f[1] === '-', num: BigInt(f[2]), den, prec: null };
  }
  const d = DECIMAL_RE.exec(s);
  if (!d || (d[2] === '' && d[3] === '')) return null;
  const digits = `${d[2]}${d[3]}`;
  const exp = Number(d[4] ?? '0') - d[3].length;
  if (Math.abs(exp) > MAX_DIGITS) return null;
  const sig = digits.replace(/^0+/, '').length;
  const mant = BigInt(digits);
  const num = exp >= 0 ? mant * 10n ** BigInt(exp) : mant;
  const den = exp >= 0 ? 1n : 10n ** BigInt(-exp);
  return { neg: d[1] === '-', num, den, prec: dpsToPrec(Math.max(15, sig)) };
}

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

/** num/den (> 0) rounded half-even to `prec` significant bits, as [mantissa, binary exponent]. */
function roundToBits(num: bigint, den: bigint, prec: number): [bigint, number] {
  let shift = prec - (bitLength(num) - bitLength(den));
  for (;;) {
    const n = shift >= 0 ? num << BigInt(shift) : num;
    const d = shift >= 0 ? den : den << BigInt(-shift);
    let q = n / d;
    if (bitLength(q) > prec) {
      shift--;
      continue;
    }
    if (bitLength(q) < prec) {
      shift++;
      continue;
    }
    const twiceRem = 2n * (n - q * d);
    if (twiceRem > d || (twiceRem === d && (q & 1n) === 1n)) q += 1n;
    if (bitLength(q) > prec) return [q >> 1n, -shift + 1];
    return [q, -shift];
  }
}

/**
 * Would sympy find `(gt) - (given)` to be exactly 0, when at least one side is a decimal literal and both
 * are plain numbers? null when the rule does not apply (the caller compares values instead).
 */
export function sympyLiteralsEqual(gt: string, given: string): boolean | null {
  const a = literal(gt);
  const b = literal(given);
  if (a === null || b === null || (a.prec === null && b.prec === null)) return null;
  const az = a.num === 0n;
  const bz = b.num === 0n;
  if (az || bz) return az && bz;
  if (a.neg !== b.neg) return false;
  // a Float meeting a Rational rounds the Rational at the Float's precision; two Floats keep their own
  const pa = a.prec ?? b.prec ?? 53;
  const pb = b.prec ?? a.prec ?? 53;
  const [ma, ea] = roundToBits(a.num, a.den, pa);
  const [mb, eb] = roundToBits(b.num, b.den, pb);
  // compare ma*2^ea with mb*2^eb exactly
  const shiftA = ma << BigInt(Math.max(0, ea - Math.min(ea, eb)));
  const shiftB = mb << BigInt(Math.max(0, eb - Math.min(ea, eb)));
  return shiftA === shiftB;
}
