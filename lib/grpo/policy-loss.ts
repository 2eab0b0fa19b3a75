// Policy losses (grpo.md §1.4, §2.2, §3.2): one signature, tensors in, per-token loss and
// metric scalars out. Aggregation over tokens is a separate registry (aggregate.ts).
//   ppo_clip  token ratio ρ = exp(logp − oldLogp); −min(ρA, clip(ρ, 1−εl, 1+εh)A); optional dual clip c
//   gspo      sequence ratio s_i = exp(mean_t Δ) (GSPO, arXiv 2507.18071, verl loss_mode gspo),
//             token surrogate with value s_i and gradient s_i·∇logp_t, clipped the same way
//   no_clip   −ρA (the clipping-off arm of the §5 laboratory)
import * as tf from '@tensorflow/tfjs';
import { firstTokenMask, maskedMean, maskedMinMax, stopGradient } from './masked';

export interface PolicyLossInput {
  /** log π_θ of each response token, [B, T] (on the gradient path). */
  logp: tf.Tensor2D;
  /** log π_old of the same tokens, frozen before the first minibatch step, [B, T]. */
  oldLogp: tf.Tensor2D;
  /** Advantage per response [B] (broadcast over tokens) or per token [B, T]. */
  adv: tf.Tensor1D | tf.Tensor2D;
  /** 1 for response tokens, 0 for padding, [B, T] float32. */
  mask: tf.Tensor2D;
}

export interface PolicyLossConfig {
  /** Lower clip ε_l: ratios below 1 − ε_l with A < 0 are clipped. */
  epsLow: number;
  /** Upper clip ε_h: ratios above 1 + ε_h with A > 0 are clipped (DAPO clip-higher: 0.28). */
  epsHigh: number;
  /** Dual clip c > 1: for A < 0 the loss is capped at −A·c (verl clip_ratio_c); null = off. */
  dualClip: number | null;
}

/** Scalars, read once per step (see readMetrics). Fractions are over response tokens. */
export interface PolicyLossMetrics {
  /** ρ < 1 − ε_l and A < 0 (TRL clip_ratio/low_mean). */
  clipFracLow: tf.Scalar;
  /** ρ > 1 + ε_h and A > 0 (TRL clip_ratio/high_mean). */
  clipFracHigh: tf.Scalar;
  /** The same two, over the first response token of each row only. */
  clipFracLowFirstToken: tf.Scalar;
  clipFracHighFirstToken: tf.Scalar;
  /** A < 0 and the dual-clip cap binds (−A·c < the clipped loss). */
  clipFracDual: tf.Scalar;
  /** mean(oldLogp − logp): verl's ppo_kl. */
  approxKl: tf.Scalar;
  ratioMean: tf.Scalar;
  ratioMin: tf.Scalar;
  ratioMax: tf.Scalar;
  /** max |ρ − 1|: exactly 0 on the first minibatch of a rollout (grpo.md §7). */
  ratioMaxAbsDev: tf.Scalar;
}

export interface PolicyLossOutput {
  /** Loss of every token, [B, T]; padding positions hold values the aggregation masks out. */
  lossPerToken: tf.Tensor2D;
  metrics: PolicyLossMetrics;
}

export type PolicyLossFn = (x: PolicyLossInput, cfg: PolicyLossConfig) => PolicyLossOutput;

/** Advantage as [B, T] (a [B] advantage is broadcast over the row). */
function advPerToken(adv: tf.Tensor1D | tf.Tensor2D, shape: [number, number]): tf.Tensor2D {
  return tf.broadcastTo(adv.rank === 1 ? tf.reshape(adv, [shape[0], 1]) : adv, shape) as tf.Tensor2D;
}

function checkInput(fn: string, x: PolicyLossInput): void {
  const s = x.logp.shape;
  const same = (name: string, t: tf.Tensor): void => {
    if (t.rank !== 2 || t.shape[0] !== s[0] || t.shape[1] !== s[1]) {
      throw new Error(`${fn}: ${name} is [${t.shape.join(',')}] but logp is [${s.join(',')}]; they must have the same [B, T] shape`);
    }
  };
  if (x.logp.rank !== 2) throw new Error(`${fn}: logp is [${s.join(',')}] but must be [B, T]`);
  same('oldLogp', x.oldLogp);
  same('mask', x.mask);
  if (x.adv.rank === 1 ? x.adv.shape[0] !== s[0] : (x.adv.rank !== 2 || x.adv.shape[0] !== s[0] || x.adv.shape[1] !== s[1])) {
    throw new Error(`${fn}: adv is [${x.adv.shape.join(',')}] but must be [B] = [${s[0]}] or [B, T] = [${s.join(',')}]`);
  }
}

/**
 * The shared clipped surrogate: loss = max(−Aρ, −A·clip(ρ, 1−εl, 1+εh)), dual-capped for A < 0,
 * and the metrics; cfg null = no clipping (−Aρ). `ratio` is ρ per token for ppo_clip, and for
 * gspo a tensor whose value is the sequence ratio s_i and whose gradient is s_i·∇logp_t.
 */
function clippedSurrogate(x: PolicyLossInput, ratio: tf.Tensor2D, cfg: PolicyLossConfig | null): PolicyLossOutput {
  const shape = x.logp.shape as [number, number];
  const A = advPerToken(x.adv, shape);
  const negA = tf.neg(A);
  const unclipped = tf.mul(negA, ratio) as tf.Tensor2D;
  let loss: tf.Tensor2D = unclipped;
  let lowHit: tf.Tensor = tf.zeros(shape);
  let highHit: tf.Tensor = tf.zeros(shape);
  let dualHit: tf.Tensor = tf.zeros(shape);
  if (cfg !== null) {
    const clipped = tf.mul(negA, tf.clipByValue(ratio, 1 - cfg.epsLow, 1 + cfg.epsHigh));
    loss = tf.maximum(unclipped, clipped) as tf.Tensor2D;
    lowHit = tf.cast(tf.logicalAnd(tf.less(ratio, 1 - cfg.epsLow), tf.less(A, 0)), 'float32');
    highHit = tf.cast(tf.logicalAnd(tf.greater(ratio, 1 + cfg.epsHigh), tf.greater(A, 0)), 'float32');
    if (cfg.dualClip !== null) {
      const cap = tf.mul(negA, cfg.dualClip); // −A·c, positive where A < 0
      const isNeg = tf.less(A, 0);
      dualHit = tf.cast(tf.logicalAnd(isNeg, tf.greater(loss, cap)), 'float32');
      loss = tf.where(isNeg, tf.minimum(loss, cap), loss) as tf.Tensor2D;
    }
  }
  const first = firstTokenMask(x.mask);
  const dev = maskedMinMax(tf.abs(tf.sub(ratio, 1)), x.mask);
  const mm = maskedMinMax(ratio, x.mask);
  return {
    lossPerToken: loss,
    metrics: {
      clipFracLow: maskedMean(lowHit, x.mask),
      clipFracHigh: maskedMean(highHit, x.mask),
      clipFracLowFirstToken: maskedMean(lowHit, first),
      clipFracHighFirstToken: maskedMean(highHit, first),
      clipFracDual: maskedMean(dualHit, x.mask),
      approxKl: maskedMean(tf.sub(x.oldLogp, x.logp), x.mask),
      ratioMean: maskedMean(ratio, x.mask),
      ratioMin: mm.min,
      ratioMax: mm.max,
      ratioMaxAbsDev: dev.max,
    },
  };
}

const ppoClip: PolicyLossFn = (x, cfg) => {
  checkInput('ppo_clip', x);
  return clippedSurrogate(x, tf.exp(tf.sub(x.logp, x.oldLogp)) as tf.Tensor2D, cfg);
};

const noClip: PolicyLossFn = (x) => {
  checkInput('no_clip', x);
  return clippedSurrogate(x, tf.exp(tf.sub(x.logp, x.oldLogp)) as tf.Tensor2D, null);
};

const gspo: PolicyLossFn = (x, cfg) => {
  checkInput('gspo', x);
  const delta = tf.mul(tf.sub(x.logp, x.oldLogp), x.mask); // [B, T], 0 on padding
  const len = tf.maximum(tf.sum(x.mask, 1, true), 1); // [B, 1]
  // [B, 1]: log s_i = mean_t Δ, capped at 10 as verl does so one wild sequence cannot overflow.
  const logSeq = tf.minimum(tf.div(tf.sum(delta, 1, true), len), 10);
  // value s_i, gradient s_i·∇logp_t: exp(logp − sg(logp) + sg(log s_i)).
  const ratio = tf.exp(tf.add(tf.sub(x.logp, stopGradient(x.logp)), stopGradient(logSeq))) as tf.Tensor2D;
  return clippedSurrogate(x, ratio, cfg);
};

export const POLICY_LOSSES = {
  ppo_clip: ppoClip,
  gspo,
  no_clip: noClip,
} satisfies Record<string, PolicyLossFn>;

export type PolicyLossName = keyof typeof POLICY_LOSSES;
