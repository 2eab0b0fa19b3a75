// The `\frac12 -> \frac{1}{2}`, `a/b -> \frac{a}{b}` and `\sqrt3 -> \sqrt{3}` repairs shared (in slightly
// different versions) by Qwen's strip_string and the Hendrycks/PRM800K normaliser.

/** Thrown where the Python original raises (IndexError, AssertionError) and its caller catches it. */
export class PythonRaised extends Error {}

/** First two code points of `s` (Python indexes by code point) and the rest. */
function headTwo(s: string): [string, string, string] {
  const it = s[Symbol.iterator]();
  const a = it.next().value ?? '';
  const b = it.next().value ?? '';
  return [a, b, s.slice(a.length + b.length)];
}

/**
 * `\frac` followed by bare characters gets braces: `\frac12` -> `\frac{1}{2}`, `\frac1{2}` -> `\frac{1}{2}`.
 * `emptyRaises`: the Hendrycks version indexes `substr[0]` without a length check (IndexError).
 */
export function fixFracs(string: string, emptyRaises: boolean): string {
  const parts = string.split('\\frac');
  let out = parts[0];
  for (const part of parts.slice(1)) {
    out += '\\frac';
    if (part.length === 0 && emptyRaises) throw new PythonRaised('IndexError in _fix_fracs');
    if (part.length > 0 && part[0] === '{') {
      out += part;
      continue;
    }
    const [a, b, rest] = headTwo(part);
    if (b === '') return string; // fewer than two characters: the original string comes back
    out += b !== '{' ? `{${a}}{${b}}${rest}` : `{${a}}${b}${rest}`;
  }
  return out;
}

const INT_MAX_DIGITS = 4300;

/** Does Python's `"{}".format(int(x)) == x` hold, i.e. is x an integer in canonical form? */
function isCanonicalInt(x: string): boolean {
  return /^-?(0|[1-9][0-9]*)$/.test(x) && x !== '-0' && x.replace('-', '').length <= INT_MAX_DIGITS;
}

/**
 * `a/b` with integer a and b -> `\frac{a}{b}`. `allowSqrt` (Qwen's version): a side containing "sqrt" is
 * accepted as it is.
 */
export function fixSlash(string: string, allowSqrt: boolean): string {
  const parts = string.split('/');
  if (parts.length !== 2) return string;
  const [a, b] = parts;
  const ok = (x: string) => (allowSqrt && x.includes('sqrt')) || isCanonicalInt(x);
  return ok(a) && ok(b) ? `\\frac{${a}}{${b}}` : string;
}

/** Hendrycks `_fix_sqrt`: `\sqrt3` -> `\sqrt{3}` (one character only); raises on a trailing `\sqrt`. */
export function fixSqrtHendrycks(string: string): string {
  if (!string.includes('\\sqrt')) return string;
  const parts = string.split('\\sqrt');
  let out = parts[0];
  for (const part of parts.slice(1)) {
    if (part.length === 0) throw new PythonRaised('IndexError in _fix_sqrt');
    if (part[0] !== '{') {
      const [a] = headTwo(part);
      out += `\\sqrt{${a}}${part.slice(a.length)}`;
    } else {
      out += `\\sqrt${part}`;
    }
  }
  return out;
}

/** Qwen `_fix_sqrt`: `\sqrt` followed by a run of word characters gets braces around the whole run. */
export function fixSqrtQwen(string: string): string {
  return string.replace(/\\sqrt([\p{L}\p{N}_]+)/gu, '\\sqrt{$1}');
}
