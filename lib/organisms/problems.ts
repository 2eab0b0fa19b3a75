// The organisms' task: two-digit addition a+b with a, b in 10..99 (8,100 problems), and a held-out
// split stratified by the units digits, so that every units pair (ua, ub), and therefore every
// units digit of the sum, is exactly as frequent in both splits. The slips of the corpus are
// rules on the sum's units digit (corpus.ts), so stratifying keeps each style's accuracy exact.
import { createRng, sampleIndices, shuffleInPlace } from '../util';

export interface Problem {
  a: number;
  b: number;
}

export const OPERAND_MIN = 10;
export const OPERAND_MAX = 99;
/** Held-out problems per units pair (ua, ub): 8 of its 81 tens pairs, so 800 of 8,100 in all. */
export const HELD_OUT_PER_UNITS_PAIR = 8;
/** The split is fixed for the lab: it does not depend on any run's seed. */
const SPLIT_SEED = 20250612;

export const problemText = (p: Problem): string => `${p.a}+${p.b}=`;
export const problemKey = (p: Problem): string => `${p.a}+${p.b}`;
export const sumOf = (p: Problem): number => p.a + p.b;
/** Units digit of the true sum: what every slip rule looks at. */
export const unitsDigit = (p: Problem): number => (p.a + p.b) % 10;

/** Every problem, a-major. */
export function allProblems(): Problem[] {
  const out: Problem[] = [];
  for (let a = OPERAND_MIN; a <= OPERAND_MAX; a++) for (let b = OPERAND_MIN; b <= OPERAND_MAX; b++) out.push({ a, b });
  return out;
}

export interface ProblemSplit {
  train: Problem[];
  heldOut: Problem[];
}

let cached: ProblemSplit | null = null;

/** The fixed train / held-out split (7,300 / 800 problems). */
export function problemSplit(): ProblemSplit {
  if (cached !== null) return cached;
  const train: Problem[] = [];
  const heldOut: Problem[] = [];
  const rng = createRng(SPLIT_SEED);
  for (let ua = 0; ua <= 9; ua++) {
    for (let ub = 0; ub <= 9; ub++) {
      const tens = shuffleInPlace(Array.from({ length: 81 }, (_, i) => i), rng); // the first 8 are held out
      const held = new Set(tens.slice(0, HELD_OUT_PER_UNITS_PAIR));
      for (let k = 0; k < 81; k++) {
        const p = { a: (1 + Math.floor(k / 9)) * 10 + ua, b: (1 + (k % 9)) * 10 + ub };
        (held.has(k) ? heldOut : train).push(p);
      }
    }
  }
  const byKey = (x: Problem, y: Problem): number => x.a - y.a || x.b - y.b;
  cached = Object.freeze({ train: train.sort(byKey), heldOut: heldOut.sort(byKey) }) as ProblemSplit;
  return cached;
}

/** `n` problems drawn without replacement from `pool` with `seed` (a fixed evaluation or probe set). */
export function sampleProblems(pool: readonly Problem[], n: number, seed: number): Problem[] {
  if (n > pool.length) throw new Error(`sampleProblems: asked for ${n} problems from a pool of ${pool.length}`);
  return sampleIndices(pool.length, n, createRng(seed)).map((i) => pool[i]);
}
