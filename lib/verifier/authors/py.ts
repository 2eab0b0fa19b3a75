// Small Python-semantics helpers: the authors' code is Python, and its quirks live in the details of
// `float()`, `int()`, `str.rstrip(chars)`, `str.isalpha()` and Unicode-aware `re` classes.

/** Python `re` (str patterns) `\W`: not a Unicode letter, number or underscore. Use with the `u` flag. */
export const PY_NONWORD = '[^\\p{L}\\p{N}_]';

const ND = /\p{Nd}/u;

/** The value 0-9 of a Unicode decimal digit (Nd digits come in runs of ten starting at zero). */
function digitValue(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (cp >= 48 && cp <= 57) return cp - 48;
  let k = 0;
  while (k < 60 && ND.test(String.fromCodePoint(cp - k - 1))) k++;
  return k % 10;
}

/** Unicode decimal digits -> ASCII digits (Python's int()/float() accept any Nd digit). */
function asciiDigits(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return s.replace(/\p{Nd}/gu, (d) => String(digitValue(d)));
}

/** Python `str.rstrip(chars)`: removes trailing characters that belong to the *set* `chars`. */
export function rstripChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1])) end--;
  return s.slice(0, end);
}

/** Python `str.lstrip(chars)`. */
export function lstripChars(s: string, chars: string): string {
  let start = 0;
  while (start < s.length && chars.includes(s[start])) start++;
  return s.slice(start);
}

/** Python `str.strip()` with no argument (Unicode whitespace). */
export function pyStrip(s: string): string {
  return s.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, '');
}

/** Python `str.split()` with no argument. */
export function pySplitWhitespace(s: string): string[] {
  const t = pyStrip(s);
  return t === '' ? [] : t.split(/[\s\x1c-\x1f\x85]+/u);
}

/** Python `str.isalpha()` for one character (categories L*). */
export function isAlphaChar(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

/** Python `s.split(sep)[-1]`: the text after the last `sep` (all of `s` when absent). */
export function afterLast(s: string, sep: string): string {
  const i = s.lastIndexOf(sep);
  return i < 0 ? s : s.slice(i + sep.length);
}

// Python float() grammar (PEP 515 underscores allowed between digits).
const DIGITPART = '\\d(?:_?\\d)*';
const PY_FLOAT_RE = new RegExp(
  `^[+-]?(?:(?:${DIGITPART}\\.(?:${DIGITPART})?|\\.${DIGITPART}|${DIGITPART})(?:[eE][+-]?${DIGITPART})?|inf|infinity|nan)$`,
  'i',
);

/** Python `float(s)`, or null where Python raises ValueError. */
export function pyFloat(s: string): number | null {
  const t = asciiDigits(pyStrip(s));
  if (!PY_FLOAT_RE.test(t)) return null;
  const lower = t.toLowerCase().replace(/_/g, '');
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[+-]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  if (body === 'nan') return NaN;
  return Number(lower);
}

/** Python `str(int(round(x)))` for a finite float (exact for values beyond 2^53, as Python is). */
export function pyIntString(x: number): string {
  const r = Math.round(x);
  if (Object.is(r, -0)) return '0';
  return BigInt(r).toString();
}

/** Python's default cap on int <-> str conversion (3.11+): longer digit strings raise ValueError. */
const PY_INT_MAX_STR_DIGITS = 4300;

/** `int(s)` for a string of decimal digits, as Python prints it back (no leading zeros), or null. */
export function pyIntFromDigits(s: string): string | null {
  if (!/^\p{Nd}+$/u.test(s)) return null;
  if (s.length > PY_INT_MAX_STR_DIGITS) return null;
  const t = asciiDigits(s).replace(/^0+(?=\d)/, '');
  return t;
}

/** Python `str(float)` (repr): shortest round-trip digits, Python's exponent style. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x.toFixed(0)}.0`;
  const s = String(x);
  // JS writes 1e+21 / 1e-7; Python writes 1e+21 / 1e-07.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}
