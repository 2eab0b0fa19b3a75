// The exact expected clipped-surrogate gradient of grpo.md §5.2 and its Monte-Carlo check (§5.4).
// For a ~ π_old and an advantage A independent of a with E[A⁺] = E[A⁻] = c:
//   E[∇J | θ] = c · ∇_θ[π_θ(L) − π_θ(U)],  ∇_θ π_θ(S) = π_θ ⊙ 1_S − π_θ(S) π_θ,
// U = {a : ρ(a) > 1 + ε_h}, L = {a : ρ(a) < 1 − ε_l}, ρ(a) = π_θ(a)/π_old(a). J is the
// objective (maximised); the loss is −J.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../util';
import { computeAdvantages } from '../compute-advantages';
import { grpoLoss } from '../objective';
import { meanInterval } from './stats';

export interface BanditPolicyPair {
  /** π_old: the behaviour policy the samples come from. */
  old: readonly number[];
  /** π_θ: the current policy (moved by earlier minibatches). */
  current: readonly number[];
}

export interface ClipBand {
  epsLow: number;
  epsHigh: number;
}

export interface ExpectedGradient {
  /** E[∇_θ J] per logit. */
  gradient: number[];
  /** Strategies in U (ratio above 1 + ε_h) and L (below 1 − ε_l). */
  upper: number[];
  lower: number[];
}

function checkPolicy(p: BanditPolicyPair): void {
  const ok = (xs: readonly number[]): boolean => xs.every((x) => x > 0) && Math.abs(xs.reduce((a, b) => a + b, 0) - 1) < 1e-6;
  if (p.old.length !== p.current.length || p.old.length < 2 || !ok(p.old) || !ok(p.current)) {
    throw new Error(`expectedClippedGradient: old [${p.old.join(', ')}] and current [${p.current.join(', ')}] must be positive probability vectors of the same length >= 2`);
  }
}

/** c · ∇[π(L) − π(U)] for the given policy pair and band; c = E[A⁺] (see meanPositiveAdvantage). */
export function expectedClippedGradient(policy: BanditPolicyPair, band: ClipBand, c: number): ExpectedGradient {
  checkPolicy(policy);
  const pi = policy.current;
  const upper: number[] = [], lower: number[] = [];
  pi.forEach((p, a) => {
    const rho = p / policy.old[a];
    if (rho > 1 + band.epsHigh) upper.push(a);
    if (rho < 1 - band.epsLow) lower.push(a);
  });
  const mass = (set: number[]): number => set.reduce((s, a) => s + pi[a], 0);
  const gradOf = (set: number[]): number[] => pi.map((p, k) => (set.includes(k) ? p : 0) - mass(set) * p);
  const gL = gradOf(lower), gU = gradOf(upper);
  return { gradient: pi.map((_, k) => c * (gL[k] - gU[k])), upper, lower };
}

/**
 * E[A⁺] per response for group-normalised advantages (unbiased std + stdEps) of G Bernoulli(q)
 * rewards, by summing over the number of successes k (constant groups contribute 0).
 */
export function meanPositiveAdvantage(groupSize: number, rewardProb: number, stdEps: number): number {
  const G = groupSize;
  let logBinom = 0; // log C(G, k), updated as k grows
  let total = 0;
  for (let k = 1; k < G; k++) {
    logBinom += Math.log((G - k + 1) / k);
    const pk = Math.exp(logBinom + k * Math.log(rewardProb) + (G - k) * Math.log(1 - rewardProb));
    const sd = Math.sqrt((k * (G - k)) / (G * (G - 1)));
    total += pk * (k / G) * ((1 - k / G) / (sd + stdEps)); // k of G responses get A = (1 − k/G)/(s + eps)
  }
  return total;
}

export interface MonteCarloOptions {
  /** Responses drawn in all (a multiple of groupSize × chunks). */
  samples: number;
  /** Independent chunks; the spread of their means gives the standard error. */
  chunks: number;
  groupSize: number;
  rewardProb: number;
  stdEps: number;
  seed: number;
}

/**
 * Monte-Carlo mean of ∇_θ J at the fixed policy pair, through the library's own path:
 * group_norm advantages → ppo_clip → token-mean, differentiated by tfjs. Returns per-logit
 * mean and standard error (across chunks).
 */
export function monteCarloClippedGradient(
  policy: BanditPolicyPair, band: ClipBand, o: MonteCarloOptions,
): { mean: number[]; se: number[] } {
  checkPolicy(policy);
  const K = policy.old.length;
  const perChunk = o.samples / o.chunks;
  if (!Number.isInteger(perChunk) || perChunk % o.groupSize !== 0) {
    throw new Error(`monteCarloClippedGradient: ${o.samples} samples do not split into ${o.chunks} chunks of whole groups of ${o.groupSize}`);
  }
  const rng = createRng(o.seed);
  const cdf = policy.old.map(((acc) => (p: number) => (acc += p))(0));
  const theta = tf.tensor2d([policy.current.map(Math.log)], [1, K]);
  const logOld = tf.tensor2d([policy.old.map(Math.log)], [1, K]);
  const cfg = {
    policyLoss: 'ppo_clip', epsLow: band.epsLow, epsHigh: band.epsHigh, dualClip: null,
    aggregation: 'token-mean', microBatchSize: 1, lossNormaliser: null, klCoef: 0, klEstimator: 'k1', entropyCoef: 0,
  } as const;
  const perChunkGrads: number[][] = [];
  for (let c = 0; c < o.chunks; c++) {
    const hot = new Float32Array(perChunk * K);
    const rewards = new Float64Array(perChunk);
    for (let i = 0; i < perChunk; i++) {
      const u = rng.next();
      let k = 0;
      while (k < K - 1 && u >= cdf[k]) k++;
      hot[i * K + k] = 1;
      rewards[i] = rng.next() < o.rewardProb ? 1 : 0;
    }
    const adv = computeAdvantages(rewards, {
      groupSize: o.groupSize, estimator: 'group_norm', stdEps: o.stdEps, filterZeroVariance: false, whitenGlobally: false, whitenVarFloor: 1e-8,
    });
    const g = tf.tidy(() => {
      const hotT = tf.tensor2d(hot, [perChunk, K]);
      const pickRows = (logsm: tf.Tensor): tf.Tensor2D => tf.reshape(tf.sum(tf.mul(hotT, logsm), 1), [perChunk, 1]); // [n,K]·[1,K] → [n,1]
      const oldLogp = pickRows(tf.logSoftmax(logOld));
      const x = { oldLogp, adv: tf.tensor1d(Float32Array.from(adv.advantages)), mask: tf.ones([perChunk, 1]) as tf.Tensor2D };
      const grad = tf.grad((t: tf.Tensor) => grpoLoss({ ...x, logp: pickRows(tf.logSoftmax(t)) }, cfg).loss)(theta);
      return tf.neg(grad); // ∇J = −∇loss
    });
    perChunkGrads.push(Array.from(g.dataSync()));
    g.dispose();
  }
  tf.dispose([theta, logOld]);
  const stats = Array.from({ length: K }, (_, k) => meanInterval(perChunkGrads.map((g) => g[k])));
  return { mean: stats.map((s) => s.mean), se: stats.map((s) => s.se) };
}
