// float64 softmax helpers for reading the bandit's policy back into JS.

/** Row-wise softmax of a row-major [S, K] array, in float64. */
export function softmaxRows(logits: ArrayLike<number>, K: number): Float64Array {
  const S = logits.length / K;
  const out = new Float64Array(logits.length);
  for (let s = 0; s < S; s++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, logits[s * K + k]);
    let z = 0;
    for (let k = 0; k < K; k++) z += (out[s * K + k] = Math.exp(logits[s * K + k] - max));
    for (let k = 0; k < K; k++) out[s * K + k] /= z;
  }
  return out;
}

/** log(p/(1−p)) of strategy `top` in each row, computed from logits (stable for p near 1). */
export function logOddsRows(logits: ArrayLike<number>, K: number, top: number): Float64Array {
  const S = logits.length / K;
  const out = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (k !== top) max = Math.max(max, logits[s * K + k]);
    let z = 0;
    for (let k = 0; k < K; k++) if (k !== top) z += Math.exp(logits[s * K + k] - max);
    out[s] = logits[s * K + top] - (max + Math.log(z)); // θ_top − logsumexp(θ_others)
  }
  return out;
}
