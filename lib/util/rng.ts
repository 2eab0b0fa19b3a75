// Seeded pseudo-random numbers. Every random choice in the library takes an Rng,
// never Math.random, so the same seed and config give the same numbers.
// Generator: splitmix32 to expand the seed, then sfc32 (small, fast, passes PractRand).

/** A seeded source of uniform numbers. */
export interface Rng {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** An independent stream derived from this one's seed and a label (does not advance this stream). */
  fork(label: string | number): Rng;
  /** The seed this stream was made from (for logging). */
  readonly seed: number;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let t = a ^ (a >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t = t ^ (t >>> 15);
    t = Math.imul(t, 0x735a2d97);
    return (t ^ (t >>> 15)) >>> 0;
  };
}

/** FNV-1a hash of a string, used to derive fork seeds from labels. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Creates a seeded generator. The seed must be a finite integer. */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed)) throw new Error(`createRng: seed must be an integer, received ${seed}`);
  const init = splitmix32(seed >>> 0 ^ Math.floor(seed / 2 ** 32));
  let a = init(), b = init(), c = init(), d = init();
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // warm-up: decorrelate nearby seeds
  return rngFrom(seed, next, (label) => createRng((hashString(`${seed}/${label}`) ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0));
}

/** An Rng over a custom source of uniform draws in [0, 1) (e.g. one that interleaves several streams). */
export function rngFrom(seed: number, next: () => number, fork: (label: string | number) => Rng): Rng {
  return {
    seed,
    next,
    int: (n: number) => {
      if (!(n > 0) || !Number.isInteger(n)) throw new Error(`rng.int: n must be a positive integer, received ${n}`);
      return Math.floor(next() * n);
    },
    fork,
  };
}

/** Shuffles `xs` in place (Fisher–Yates from the last element down, j = rng.int(i + 1)); returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(xs: T, rng: Rng): T {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = xs[i]; xs[i] = xs[j]; xs[j] = t;
  }
  return xs;
}

/** k distinct indices of 0..n−1 drawn without replacement (partial Fisher–Yates, j = i + rng.int(n − i)), in draw order. */
export function sampleIndices(n: number, k: number, rng: Rng): number[] {
  if (!(k >= 0 && k <= n)) throw new Error(`sampleIndices: cannot draw ${k} of ${n}`);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
  }
  return idx.slice(0, k);
}
