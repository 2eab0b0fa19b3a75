// The authors' repetition test behind the `no_repetition` reward (spec §3.9,
// repetition_detection.py): a text is repetitive if some character pattern of length L,
// 10 <= L <= min(256, floor(n/2)), occurs at least 10 times back to back, with candidate
// start positions 0..n-10L. The search runs over L upward and start positions from the left
// and stops at the first hit.
//
// Literal search costs O(n · 247 · 10L) character compares. This version returns the same
// boolean (and the same first hit) in O(n) per L in the worst case and far less in practice:
//   text[s, s+kL) is k back-to-back copies of text[s, s+L)
//     <=> text[i] === text[i+L] for every i in [s, s+(k-1)L),
// so a hit at length L is a run of at least K = (k-1)·L consecutive positions i where
// text[i] === text[i+L]. Every run that long covers a multiple of K, so it suffices to probe
// i = 0, K, 2K, ... and measure the run around a probe only when the probe matches.
// Runs only use positions i < n-L, which also enforces s <= n-kL, and kL <= n implies the
// cap L <= n/2 whenever k >= 2.
// Positions are Unicode code points, as in Python's str, not UTF-16 code units.
//
// Open point: the authors' start range is read as inclusive ("up to n - 10L"); an exclusive
// range would differ only when the repeats end exactly at the end of the text.

export interface RepetitionOptions {
  /** Shortest pattern length tried. Default 10. */
  minLength?: number;
  /** Longest pattern length tried (also capped at half the text length). Default 256. */
  maxLength?: number;
  /** Back-to-back copies needed. Default 10; must be at least 2. */
  minRepeats?: number;
}

/** The first repetition found in the authors' search order. */
export interface RepetitionHit {
  /** Pattern length L, in code points. */
  patternLength: number;
  /** Code-point index where the repeats start (leftmost for this L). */
  start: number;
  /** How many full back-to-back copies start there. */
  repeats: number;
}

/** Defaults of the authors' repetition_detection.py (spec §3.9). */
export const AUTHORS_REPETITION: Readonly<Required<RepetitionOptions>> = Object.freeze({ minLength: 10, maxLength: 256, minRepeats: 10 });

/** True if the text contains a pattern repeated back to back as the authors define it (spec §3.9). */
export function hasRepetition(text: string, opts: RepetitionOptions = {}): boolean {
  return findRepetition(text, opts) !== null;
}

/** The first hit of the authors' search (smallest L, then leftmost start), or null. */
export function findRepetition(text: string, opts: RepetitionOptions = {}): RepetitionHit | null {
  const { minLength, maxLength, minRepeats } = resolveOptions(opts);
  const cps = codePoints(text);
  const n = cps.length;
  const maxL = Math.min(maxLength, Math.floor(n / 2));
  for (let L = minLength; L <= maxL; L++) {
    const need = (minRepeats - 1) * L; // matching positions needed in a row
    const end = n - L; // positions i with i + L < n
    if (need > end) break; // longer patterns need even more room
    for (let probe = need - 1; probe < end; probe += need) {
      if (cps[probe] !== cps[probe + L]) continue;
      let lo = probe;
      while (lo > 0 && cps[lo - 1] === cps[lo - 1 + L]) lo--;
      let hi = probe + 1;
      while (hi < end && cps[hi] === cps[hi + L]) hi++;
      if (hi - lo >= need) return { patternLength: L, start: lo, repeats: Math.floor((hi - lo) / L) + 1 };
      // The run [lo, hi) is too short; the next probe past it starts a fresh run.
      if (hi > probe + 1) probe = hi - 1 - ((hi - 1 - (need - 1)) % need);
    }
  }
  return null;
}

function resolveOptions(opts: RepetitionOptions): Required<RepetitionOptions> {
  const r = { ...AUTHORS_REPETITION, ...opts };
  for (const [k, v] of Object.entries(r)) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`hasRepetition: option ${k} must be a positive integer, received ${v}`);
  }
  if (r.minRepeats < 2) throw new Error(`hasRepetition: minRepeats must be at least 2, received ${r.minRepeats}`);
  return r;
}

/** Code points of a string (Python indexes str by code point); ASCII/BMP text takes the fast path. */
function codePoints(text: string): Int32Array {
  const out = new Int32Array(text.length);
  let k = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[k++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    out[k++] = c;
  }
  return k === text.length ? out : out.subarray(0, k);
}
