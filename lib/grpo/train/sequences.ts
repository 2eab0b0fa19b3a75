// Response log-probs and entropies of a set of rollout rows, in the [B, T−1] layout grpoLoss takes.
// Rows are prompt ++ completion, right-padded (pads only follow real tokens, so causal attention
// never sees them and positions stay 0..T−1: no attention mask needed). The same function gives
// the old, reference and current log-probs, so on identical rows and weights the ratio is exactly 1.
import * as tf from '@tensorflow/tfjs';
import { withoutTape, type CausalLM } from '../../models';
import type { Rollout } from './rollout';

/** Host arrays of some rows of a rollout, ready to become tensors. */
export interface SequenceRows {
  rows: number;
  /** Padded length T (prompt + completion). */
  length: number;
  ids: Int32Array; // [B, T]
  /** 1 where the NEXT token (position t+1) is a completion token: [B, T−1]. */
  responseMask: Float32Array;
  /** Index of the next token at each position, for the one-hot pick: [B, T−1]. */
  targets: Int32Array;
}

export function sequenceRows(r: Rollout, rows: ArrayLike<number>, padId: number): SequenceRows {
  const B = rows.length;
  let T = 2;
  for (let i = 0; i < B; i++) T = Math.max(T, r.promptIds[rows[i]].length + r.completionIds[rows[i]].length);
  const ids = new Int32Array(B * T).fill(padId);
  const responseMask = new Float32Array(B * (T - 1));
  const targets = new Int32Array(B * (T - 1)).fill(padId);
  for (let i = 0; i < B; i++) {
    const p = r.promptIds[rows[i]];
    const c = r.completionIds[rows[i]];
    ids.set(p, i * T);
    ids.set(c, i * T + p.length);
    for (let t = 0; t + 1 < p.length + c.length; t++) targets[i * (T - 1) + t] = ids[i * T + t + 1];
    for (let j = 0; j < c.length; j++) responseMask[i * (T - 1) + p.length - 1 + j] = 1; // position predicting completion token j
  }
  return { rows: B, length: T, ids, responseMask, targets };
}

export interface PolicyTerms {
  /** log π(next token), 0 off the response: [B, T−1]. */
  logp: tf.Tensor2D;
  /** Entropy of π at each position, 0 off the response: [B, T−1]. */
  entropy: tf.Tensor2D;
}

/**
 * log-probs and entropies from one forward pass. Differentiable when called inside a gradient
 * closure; outside one (old/reference log-probs) the same kernels run without a tape.
 */
export function policyTerms(model: CausalLM, s: SequenceRows): PolicyTerms {
  const { rows: B, length: T } = s;
  const V = model.config.vocabSize;
  const onehot = new Float32Array(B * (T - 1) * V);
  for (let k = 0; k < B * (T - 1); k++) onehot[k * V + s.targets[k]] = 1;
  return tf.tidy(() => {
    const ids = tf.tensor2d(s.ids, [B, T], 'int32');
    const mask = tf.tensor2d(s.responseMask, [B, T - 1]);
    const logits = tf.slice(model.forward(ids), [0, 0, 0], [B, T - 1, V]); // [B,T,V] → [B,T−1,V]
    const logZ = tf.logSumExp(logits, -1); // [B,T−1]
    const picked = tf.sum(tf.mul(logits, tf.tensor3d(onehot, [B, T - 1, V])), -1); // one-hot pick: wasm has no gather gradient
    const logp = tf.mul(tf.sub(picked, logZ), mask) as tf.Tensor2D;
    const probs = tf.exp(tf.sub(logits, tf.expandDims(logZ, -1))); // [B,T−1,V]
    const entropy = tf.mul(tf.sub(logZ, tf.sum(tf.mul(probs, logits), -1)), mask) as tf.Tensor2D;
    return { logp, entropy };
  });
}

/** The same values, recording no gradient tape even inside a gradient closure (old and reference log-probs). */
export function policyTermsNoGrad(model: CausalLM, s: SequenceRows): PolicyTerms {
  return withoutTape(() => policyTerms(model, s));
}
