// Response log-probs and entropies of a set of rollout rows, in the [B, T−1] layout grpoLoss takes.
// Rows are prompt ++ completion, right-padded (pads only follow real tokens, so causal attention
// never sees them and positions stay 0..T−1: no attention mask needed). The same function gives
// the old, reference and current log-probs, so on identical rows and weights the ratio is exactly 1.
import * as tf from '@tensorflow/tfjs';
import { withoutTape, type CausalLM } from '../../models';
import { logSoftmaxParts } from '../../tensor';
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
  /** The sampler's log π_old of the next token where it is a completion token, else 0: [B, T−1] (the layout of PolicyTerms.logp). */
  samplerLogp: Float32Array;
}

export function sequenceRows(r: Rollout, rows: ArrayLike<number>, padId: number): SequenceRows {
  const B = rows.length;
  let T = 2;
  for (let i = 0; i < B; i++) T = Math.max(T, r.promptIds[rows[i]].length + r.completionIds[rows[i]].length);
  const ids = new Int32Array(B * T).fill(padId);
  const responseMask = new Float32Array(B * (T - 1));
  const targets = new Int32Array(B * (T - 1)).fill(padId);
  const samplerLogp = new Float32Array(B * (T - 1));
  for (let i = 0; i < B; i++) {
    const p = r.promptIds[rows[i]];
    const c = r.completionIds[rows[i]];
    const lp = r.logProbs[rows[i]];
    ids.set(p, i * T);
    ids.set(c, i * T + p.length);
    for (let t = 0; t + 1 < p.length + c.length; t++) targets[i * (T - 1) + t] = ids[i * T + t + 1];
    for (let j = 0; j < c.length; j++) {
      responseMask[i * (T - 1) + p.length - 1 + j] = 1; // position predicting completion token j
      samplerLogp[i * (T - 1) + p.length - 1 + j] = lp === undefined ? NaN : lp[j];
    }
  }
  return { rows: B, length: T, ids, responseMask, targets, samplerLogp };
}

export interface PolicyTerms {
  /** log π(next token), 0 off the response: [B, T−1]. */
  logp: tf.Tensor2D;
  /** Entropy of π at each position, 0 off the response: [B, T−1]. */
  entropy: tf.Tensor2D;
}

/**
 * Per row of logits x [N,V] and constant one-hot targets [N,V]: [N,2] = (log softmax(x)[target],
 * entropy of softmax(x)), as one op with a hand-written gradient (wasm has no gather gradient, so
 * the target is picked with a one-hot product):
 *   z = x − max x,  lse = log Σ exp z,  ℓ = z − lse,  p = exp z / Σ exp z
 *   value  ℓ·onehot summed, −Σ p·ℓ
 *   d/dx   dℓ_t·(onehot − p) − dH·p ⊙ (ℓ + H)
 * (∂H/∂x_j = −p_j(ℓ_j + H)). The max is a constant shift: its gradient cancels exactly, so none
 * flows through it. ℓ comes from logSoftmaxParts, as the sampler's modelLogProbs do, so π_old from
 * the sampler equals this recompute bitwise wherever the logits are equal.
 */
function tokenTerms(x: tf.Tensor2D, onehot: tf.Tensor2D): tf.Tensor2D {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logits, save] = inputs as [tf.Tensor2D, tf.GradSaveFunc];
    const { e, sum, logp: logpAll } = logSoftmaxParts(logits); // the sampler's modelLogProbs come from the same kernels
    const p = tf.div(e, sum);
    const picked = tf.sum(tf.mul(logpAll, onehot), -1, true); // [N,1]: exactly ℓ_target (the other terms are 0)
    const entropy = tf.neg(tf.sum(tf.mul(p, logpAll), -1, true)); // [N,1]
    save([p, logpAll, entropy, onehot]); // onehot too: a closed-over tensor is freed with the caller's tidy before backprop
    return {
      value: tf.concat([picked, entropy], 1) as tf.Tensor2D, // [N,2]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sp, sl, sh, hot] = saved;
        const [dlp, dh] = tf.split(dy, 2, 1); // [N,1] each
        const fromLogp = tf.mul(dlp, tf.sub(hot, sp));
        const fromEntropy = tf.mul(tf.mul(dh, sp), tf.add(sl, sh));
        return tf.sub(fromLogp, fromEntropy);
      },
    };
  });
  return op(x) as tf.Tensor2D;
}

/**
 * log-probs and entropies from one forward pass. Differentiable when called inside a gradient
 * closure; outside one (old/reference log-probs) the same kernels run without a tape.
 */
export function policyTerms(model: CausalLM, s: SequenceRows): PolicyTerms {
  const { rows: B, length: T } = s;
  const V = model.config.vocabSize;
  // One-hot of each position's next token over all T positions (the last one, which predicts
  // nothing, all zero), so the logits need no [B,T,V] → [B,T−1,V] slice: only the [B,T,2] result is cut.
  const onehot = new Float32Array(B * T * V);
  for (let i = 0; i < B; i++) for (let t = 0; t + 1 < T; t++) onehot[(i * T + t) * V + s.targets[i * (T - 1) + t]] = 1;
  return tf.tidy(() => {
    const ids = tf.tensor2d(s.ids, [B, T], 'int32');
    const mask = tf.tensor2d(s.responseMask, [B, T - 1]);
    const logits = tf.reshape(model.forward(ids), [B * T, V]) as tf.Tensor2D;
    const terms = tf.slice(tf.reshape(tokenTerms(logits, tf.tensor2d(onehot, [B * T, V])), [B, T, 2]), [0, 0, 0], [B, T - 1, 2]);
    const [lp, h] = tf.split(terms, 2, 2); // [B,T−1,1] each
    const logp = tf.mul(tf.reshape(lp, [B, T - 1]), mask) as tf.Tensor2D;
    const entropy = tf.mul(tf.reshape(h, [B, T - 1]), mask) as tf.Tensor2D;
    return { logp, entropy };
  });
}

/** The same values, recording no gradient tape even inside a gradient closure (old and reference log-probs). */
export function policyTermsNoGrad(model: CausalLM, s: SequenceRows): PolicyTerms {
  return withoutTape(() => policyTerms(model, s));
}
