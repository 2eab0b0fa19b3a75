// pass@k, the unbiased estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code"):
// with n samples of which c are correct, pass@k = 1 - C(n-c, k) / C(n, k), the chance that k samples drawn
// without replacement from the n include a correct one. avg@n (the paper's metric, spec §8) is pass@1.

/** Unbiased pass@k for one problem: n samples, c correct, k <= n. */
export function passAtK(n: number, c: number, k: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`passAtK: n must be a positive integer, received ${n}`);
  if (!Number.isInteger(c) || c < 0 || c > n) throw new Error(`passAtK: c must be an integer in [0, n=${n}], received ${c}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new Error(`passAtK: k must be an integer in [1, n=${n}], received ${k}`);
  if (n - c < k) return 1; // every k-subset holds a correct sample
  // C(n-c,k)/C(n,k) = prod_{i=n-c+1}^{n} (1 - k/i): a product of numbers in (0,1], no overflow.
  let fail = 1;
  for (let i = n - c + 1; i <= n; i++) fail *= 1 - k / i;
  return 1 - fail;
}

/** Mean pass@k over problems given as [n, c] pairs (every problem needs n >= k). NaN for no problems. */
export function meanPassAtK(counts: readonly (readonly [number, number])[], k: number): number {
  if (counts.length === 0) return NaN;
  return counts.reduce((s, [n, c]) => s + passAtK(n, c, k), 0) / counts.length;
}
