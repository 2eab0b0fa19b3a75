// The sampling policy at one position: logits → the distribution actually sampled from
// (temperature, then top-k, then top-p, renormalised; vLLM's and HF's order), a seeded
// draw from it, and the log-probabilities the caller needs. Plain JS in float64.
import type { Rng } from '../util';

/** A resolved policy. temperature 0 = greedy; topK 0 = off; topP 1 = off. */
export interface SamplingPolicy {
  temperature: number;
  topK: number;
  topP: number;
}

/** The support of the policy's distribution and each token's log-probability under it, most likely first when filtered. */
export interface PolicyDistribution {
  ids: Int32Array;
  logProbs: Float64Array;
}

/** Log-sum-exp of xs[from..from+n) (stable). */
function logSumExp(xs: ArrayLike<number>, from: number, n: number): number {
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (xs[from + i] > max) max = xs[from + i];
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(xs[from + i] - max);
  return max + Math.log(s);
}

/** Index of the largest of xs[from..from+n) (the lowest index on ties). */
export function argmax(xs: ArrayLike<number>, from = 0, n = xs.length - from): number {
  let best = 0;
  for (let i = 1; i < n; i++) if (xs[from + i] > xs[from + best]) best = i;
  return best;
}

/** log softmax(logits)[token] of the untempered model: row at logits[from..from+vocab). */
export function modelLogProb(logits: ArrayLike<number>, from: number, vocab: number, token: number): number {
  return logits[from + token] - logSumExp(logits, from, vocab);
}

/** Throws on a NaN or +Infinity logit (a broken model), naming the row. */
function checkRow(logits: ArrayLike<number>, from: number, vocab: number, row: string): void {
  for (let i = 0; i < vocab; i++) {
    const x = logits[from + i];
    if (Number.isNaN(x) || x === Infinity) throw new Error(`sampling: logits of ${row} hold ${x} at token ${i}; the model produced non-finite values`);
  }
}

/**
 * The distribution the policy samples from, for the logits row logits[from..from+vocab).
 * Greedy: a point mass on the argmax. Otherwise softmax(logits / T), then the topK most likely tokens,
 * then the smallest most-likely-first prefix whose mass reaches topP, renormalised after each filter.
 */
export function policyDistribution(logits: ArrayLike<number>, from: number, vocab: number, policy: SamplingPolicy, row = 'a row'): PolicyDistribution {
  checkRow(logits, from, vocab, row);
  if (policy.temperature === 0) return { ids: Int32Array.of(argmax(logits, from, vocab)), logProbs: Float64Array.of(0) };
  const z = new Float64Array(vocab);
  for (let i = 0; i < vocab; i++) z[i] = logits[from + i] / policy.temperature;
  const filtered = (policy.topK > 0 && policy.topK < vocab) || policy.topP < 1;
  if (!filtered) {
    const lse = logSumExp(z, 0, vocab);
    const logProbs = new Float64Array(vocab);
    for (let i = 0; i < vocab; i++) logProbs[i] = z[i] - lse;
    const ids = new Int32Array(vocab);
    for (let i = 0; i < vocab; i++) ids[i] = i;
    return { ids, logProbs };
  }
  // Most likely first; ties by lower id so the order (and so each draw) is deterministic.
  const order = Array.from({ length: vocab }, (_, i) => i).sort((a, b) => z[b] - z[a] || a - b);
  let keep = policy.topK > 0 ? Math.min(policy.topK, vocab) : vocab;
  if (policy.topP < 1) {
    const lse = logSumExp(order.map((i) => z[i]), 0, keep);
    let before = 0; // mass of the tokens ranked above this one, after top-k
    let n = 0;
    while (n < keep && before < policy.topP) {
      before += Math.exp(z[order[n]] - lse);
      n++;
    }
    keep = Math.max(n, 1);
  }
  const kept = order.slice(0, keep);
  const lse = logSumExp(kept.map((i) => z[i]), 0, keep);
  return { ids: Int32Array.from(kept), logProbs: Float64Array.from(kept, (i) => z[i] - lse) };
}

/** One seeded draw: the index into `dist` whose cumulative mass first exceeds u ~ U[0,1). */
export function drawFrom(dist: PolicyDistribution, rng: Rng): number {
  if (dist.ids.length === 1) return 0;
  const u = rng.next();
  let cum = 0;
  for (let j = 0; j < dist.ids.length; j++) {
    cum += Math.exp(dist.logProbs[j]);
    if (u < cum) return j;
  }
  // Rounding left the total a hair under 1: the draw falls to the last token with mass.
  let last = dist.ids.length - 1;
  while (last > 0 && dist.logProbs[last] === -Infinity) last--;
  return last;
}
