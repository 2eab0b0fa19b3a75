// Degenerate endings: a response that ends in a repetition loop ("think think think ...", the same line thirty
// times, a template block over and over) has stopped answering. The labelling policy gives such a response only
// what it stated before the loop began; a number inside the loop is never its answer.
import type { Budget } from './limits';

/** Longest repeated unit looked for, in characters (a template block of a few lines). */
const MAX_UNIT = 400;
/** A loop needs this many back-to-back copies of its unit ... */
const MIN_COPIES = 3;
/** ... covering at least this many characters (so "!!!!" or a doubled sentence is not a loop). */
const MIN_SPAN = 80;

/**
 * Where the repetition loop that runs to the end of `s` begins (the first character of its first copy), or -1
 * when `s` does not end in one. Trailing whitespace is ignored. The last copy may be cut off.
 * Cost: for each unit length L at most max(MIN_SPAN, MIN_COPIES·L) comparisons until a loop is recognised, then
 * one pass back to where it starts.
 */
export function tailLoopStart(s: string, budget: Budget): number {
  let n = s.length;
  while (n > 0 && /\s/.test(s[n - 1])) n--;
  for (let L = 1; L <= MAX_UNIT && 2 * L <= n; L++) {
    budget.tick();
    // Positions i (from the end) with s[i] === s[i - L]: a run of r of them means r + L periodic characters.
    const need = Math.max(MIN_SPAN, MIN_COPIES * L) - L;
    let r = 0;
    while (r < need && n - 1 - r - L >= 0 && s[n - 1 - r] === s[n - 1 - r - L]) r++;
    if (r < need) continue;
    while (n - 1 - r - L >= 0 && s[n - 1 - r] === s[n - 1 - r - L]) {
      if ((r & 1023) === 0) budget.tick();
      r++;
    }
    // The periodic stretch may reach a few characters into the text before the first copy ("</answer>" ends in ">",
    // as does the loop unit " < site >"): unless it starts at a token boundary, start the loop at the first blank
    // of its first unit, so that no token of the text before it is cut.
    const start = n - r - L;
    if (start === 0 || /\s/.test(s[start - 1])) return start;
    for (let j = start; j < start + L; j++) if (/\s/.test(s[j])) return j;
    return start;
  }
  return -1;
}
