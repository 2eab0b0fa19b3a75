// computeAdvantages: rewards of a rollout batch (groups contiguous, as the authors' sampler
// lays them out, grpo.md §1.1 step 2) → one advantage per response, plus the per-rollout
// metrics of grpo.md §7. Steps: per-group estimator → optional zero-variance filter →
// optional token-weighted global whitening (the authors' extra step, §1.3).
import { pick } from '../util';
import { ADVANTAGE_ESTIMATORS, type AdvantageFn } from './advantages';

export interface AdvantageOptions {
  /** Responses per prompt G; rewards.length must be a multiple of it. */
  groupSize: number;
  /** Name in `estimators` (default registry: ADVANTAGE_ESTIMATORS). */
  estimator: string;
  /** Added to the group std (group_norm only). Authors/OpenRLHF 1e-9, verl 1e-6, TRL 1e-4. */
  stdEps: number;
  /** Drop groups whose rewards are all equal (DAPO dynamic sampling): keep[i] = 0 for them. */
  filterZeroVariance: boolean;
  /** The authors' global token-weighted whitening of §1.3 (needs `lengths`). */
  whitenGlobally: boolean;
  /** Floor on the whitening variance (OpenRLHF: clamp(min=1e-8) before rsqrt). */
  whitenVarFloor: number;
  /** Generated tokens per response; counted as max(1, L) like OpenRLHF's num_actions. Required when whitening. */
  lengths?: ArrayLike<number>;
  /** Registry to look `estimator` up in; pass a merged object to add your own. */
  estimators?: Readonly<Record<string, AdvantageFn>>;
}

export interface AdvantageMetrics {
  groups: number;
  responses: number;
  rewardMean: number;
  /** Population std of all rewards in the batch (a log value, not used by any estimator). */
  rewardStd: number;
  /** Fraction of groups whose rewards are all equal (TRL's frac_reward_zero_std). */
  zeroStdFrac: number;
  /** Fraction of responses kept (1 unless filterZeroVariance). */
  keptFrac: number;
  /** Advantage stats over kept responses before whitening (per response, not per token). */
  advMean: number;
  advStd: number;
  advMin: number;
  advMax: number;
  /** Whitening μ and σ of §1.3 (token-weighted); null when whitening is off. */
  whitenMu: number | null;
  whitenSigma: number | null;
  /** Advantage stats over kept responses after whitening; equal to the above when off. */
  advMeanFinal: number;
  advStdFinal: number;
  advMinFinal: number;
  advMaxFinal: number;
}

export interface AdvantageResult {
  /** One advantage per response, broadcast to all its tokens by the loss; 0 where keep is 0. */
  advantages: Float64Array;
  /** 1 = the response takes part in the update; 0 = its group was filtered out. */
  keep: Uint8Array;
  metrics: AdvantageMetrics;
}

function stats(xs: Float64Array, keep: Uint8Array): { mean: number; std: number; min: number; max: number } {
  let n = 0, s = 0, min = Infinity, max = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    if (!keep[i]) continue;
    n++; s += xs[i];
    if (xs[i] < min) min = xs[i];
    if (xs[i] > max) max = xs[i];
  }
  if (n === 0) return { mean: 0, std: 0, min: 0, max: 0 };
  const mean = s / n;
  let v = 0;
  for (let i = 0; i < xs.length; i++) if (keep[i]) v += (xs[i] - mean) ** 2;
  return { mean, std: Math.sqrt(v / n), min, max };
}

/**
 * Token-weighted whitening of grpo.md §1.3: μ = ΣL·A/ΣL, σ² = max(ΣL·(A−μ)²/ΣL, floor),
 * Â = (A − μ)/σ, over responses with keep[i] = 1 (others stay 0). Every response token
 * counts once, so long responses weigh more. Mutates `adv`.
 */
export function whitenTokenWeighted(
  adv: Float64Array, lengths: ArrayLike<number>, keep: Uint8Array, varFloor: number,
): { mu: number; sigma: number } {
  let tokens = 0, s = 0;
  for (let i = 0; i < adv.length; i++) {
    if (!keep[i]) continue;
    const L = Math.max(1, lengths[i]);
    tokens += L; s += L * adv[i];
  }
  if (tokens === 0) return { mu: 0, sigma: 1 };
  const mu = s / tokens;
  let v = 0;
  for (let i = 0; i < adv.length; i++) if (keep[i]) v += Math.max(1, lengths[i]) * (adv[i] - mu) ** 2;
  const sigma = Math.sqrt(Math.max(v / tokens, varFloor));
  for (let i = 0; i < adv.length; i++) if (keep[i]) adv[i] = (adv[i] - mu) / sigma;
  return { mu, sigma };
}

function checkInput(rewards: ArrayLike<number>, o: AdvantageOptions): void {
  const G = o.groupSize;
  if (!Number.isInteger(G) || G < 2) throw new Error(`computeAdvantages: groupSize is ${G}; it must be an integer >= 2 (a group needs a baseline)`);
  if (rewards.length === 0 || rewards.length % G !== 0) {
    throw new Error(`computeAdvantages: ${rewards.length} rewards is not a positive multiple of groupSize ${G}; groups must be complete and contiguous`);
  }
  for (let i = 0; i < rewards.length; i++) {
    if (!Number.isFinite(rewards[i])) throw new Error(`computeAdvantages: reward ${i} is ${rewards[i]}; rewards must be finite numbers`);
  }
  if (o.whitenGlobally) {
    if (o.lengths === undefined) throw new Error('computeAdvantages: whitenGlobally is on but no lengths were given; pass the generated token count of every response');
    if (o.lengths.length !== rewards.length) {
      throw new Error(`computeAdvantages: lengths has ${o.lengths.length} entries but there are ${rewards.length} rewards`);
    }
  }
}

/** Advantages for a rollout batch whose groups of `groupSize` responses are contiguous. */
export function computeAdvantages(rewards: ArrayLike<number>, o: AdvantageOptions): AdvantageResult {
  checkInput(rewards, o);
  const estimate = pick(o.estimators ?? ADVANTAGE_ESTIMATORS, o.estimator, 'advantage estimator');
  const G = o.groupSize;
  const n = rewards.length;
  const groups = n / G;
  const adv = new Float64Array(n);
  const keep = new Uint8Array(n).fill(1);
  let zeroStd = 0, rSum = 0;
  const group = new Float64Array(G); // reused: estimators must not keep their input
  for (let g = 0; g < groups; g++) {
    let constant = true;
    for (let j = 0; j < G; j++) {
      const r = (group[j] = rewards[g * G + j]);
      rSum += r;
      if (r !== group[0]) constant = false;
    }
    if (constant) {
      // Constant group: no signal. Exactly 0 (not a float residue of mean subtraction).
      zeroStd++;
      if (o.filterZeroVariance) keep.fill(0, g * G, (g + 1) * G);
      continue;
    }
    const a = estimate(group, { stdEps: o.stdEps });
    if (a.length !== G) throw new Error(`advantage estimator "${o.estimator}" returned ${a.length} values for a group of ${G}`);
    adv.set(a, g * G);
  }
  const rewardMean = rSum / n;
  let rVar = 0;
  for (let i = 0; i < n; i++) rVar += (rewards[i] - rewardMean) ** 2;
  const before = stats(adv, keep);
  let whitenMu: number | null = null, whitenSigma: number | null = null;
  if (o.whitenGlobally) {
    const w = whitenTokenWeighted(adv, o.lengths as ArrayLike<number>, keep, o.whitenVarFloor);
    whitenMu = w.mu; whitenSigma = w.sigma;
  }
  const after = stats(adv, keep);
  let kept = 0;
  for (const k of keep) kept += k;
  return {
    advantages: adv,
    keep,
    metrics: {
      groups, responses: n, rewardMean, rewardStd: Math.sqrt(rVar / n),
      zeroStdFrac: zeroStd / groups, keptFrac: kept / n,
      advMean: before.mean, advStd: before.std, advMin: before.min, advMax: before.max,
      whitenMu, whitenSigma,
      advMeanFinal: after.mean, advStdFinal: after.std, advMinFinal: after.min, advMaxFinal: after.max,
    },
  };
}
