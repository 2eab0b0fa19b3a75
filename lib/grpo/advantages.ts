// Advantage estimators (grpo.md §1.2, §2.1, §3.1): pure functions over one group of scalar
// rewards, in float64 JS (rewards are scalars, so no tensors are needed). Names follow the
// authors' framework (OpenRLHF `--advantage_estimator`): group_norm, dr_grpo, rloo.

/** One prompt's rewards in; one advantage per response out, in a new array of the same length (the input may be reused by the caller). */
export type AdvantageFn = (group: Float64Array, opts: { stdEps: number }) => Float64Array;

function mean(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Bessel-corrected (n−1) standard deviation: torch.std's default, used by all three frameworks. */
function unbiasedStd(xs: Float64Array, mu: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - mu) * (xs[i] - mu);
  return Math.sqrt(s / (xs.length - 1));
}

/** GRPO (arXiv 2402.03300): A_i = (r_i − mean_g) / (std_g + eps), std unbiased; the authors' choice, eps 1e-9. */
const groupNorm: AdvantageFn = (g, { stdEps }) => {
  const mu = mean(g);
  const sd = unbiasedStd(g, mu);
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = (g[i] - mu) / (sd + stdEps);
  return out;
};

/** Dr. GRPO (arXiv 2503.20783): A_i = r_i − mean_g, no division by the std. */
const drGrpo: AdvantageFn = (g) => {
  const mu = mean(g);
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] - mu;
  return out;
};

/** RLOO: A_i = r_i − mean of the other G−1 rewards = G/(G−1)·(r_i − mean_g). */
const rloo: AdvantageFn = (g) => {
  let total = 0;
  for (let i = 0; i < g.length; i++) total += g[i];
  const others = g.length - 1;
  const out = new Float64Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = g[i] - (total - g[i]) / others;
  return out;
};

export const ADVANTAGE_ESTIMATORS = {
  group_norm: groupNorm,
  dr_grpo: drGrpo,
  rloo,
} satisfies Record<string, AdvantageFn>;

export type AdvantageName = keyof typeof ADVANTAGE_ESTIMATORS;
