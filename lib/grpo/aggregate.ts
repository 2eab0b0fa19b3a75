// Loss aggregation (grpo.md §1.4, §2.3, §3.2): [B, T] per-token values and mask → one scalar.
// Names follow verl's loss_agg_mode, plus the authors' micro-batch token mean.
import * as tf from '@tensorflow/tfjs';

export interface AggregationConfig {
  /** micro-batch-token-mean: rows per micro-batch (authors: 4 packed sequences). */
  microBatchSize: number;
  /** seq-mean-token-sum-norm: the constant C (Dr. GRPO: max response length); null = the padded length T. */
  lossNormaliser: number | null;
}

export type AggregationFn = (values: tf.Tensor2D, mask: tf.Tensor2D, cfg: AggregationConfig) => tf.Scalar;

/** Σ m·ℓ / Σ m over the whole batch (verl default; TRL bnpo on one micro-batch). */
const tokenMean: AggregationFn = (v, m) => tf.div(tf.sum(tf.mul(v, m)), tf.maximum(tf.sum(m), 1));

/** (1/B) Σ_i Σ_t m·ℓ. */
const seqMeanTokenSum: AggregationFn = (v, m) => tf.mean(tf.sum(tf.mul(v, m), 1));

/** (1/B) Σ_i (Σ_t m·ℓ / Σ_t m): the original GRPO paper (TRL loss_type "grpo"). */
const seqMeanTokenMean: AggregationFn = (v, m) => tf.mean(tf.div(tf.sum(tf.mul(v, m), 1), tf.maximum(tf.sum(m, 1), 1)));

/**
 * Dr. GRPO's constant normaliser: Σ_{i,t} m·ℓ / (B·C), C = lossNormaliser or T (TRL dr_grpo:
 * B·max_completion_length). verl's mode of the same name omits the 1/B (a learning-rate factor).
 */
const seqMeanTokenSumNorm: AggregationFn = (v, m, cfg) => {
  const [B, T] = v.shape;
  return tf.div(tf.sum(tf.mul(v, m)), B * (cfg.lossNormaliser ?? T));
};

/**
 * The authors' aggregation (grpo.md §1.4): consecutive micro-batches of `microBatchSize` rows,
 * token mean inside each (one packed row), plain mean over micro-batches (DeepSpeed's 1/accumulation).
 */
const microBatchTokenMean: AggregationFn = (v, m, cfg) => {
  const [B] = v.shape;
  const mb = cfg.microBatchSize;
  if (!Number.isInteger(mb) || mb < 1 || B % mb !== 0) {
    throw new Error(`micro-batch-token-mean: ${B} rows do not split into micro-batches of ${mb}; make the minibatch a multiple of microBatchSize (the authors drop the remainder)`);
  }
  const rowSum = tf.reshape(tf.sum(tf.mul(v, m), 1), [B / mb, mb]); // [B] → [B/mb, mb]
  const rowTok = tf.reshape(tf.sum(m, 1), [B / mb, mb]);
  return tf.mean(tf.div(tf.sum(rowSum, 1), tf.maximum(tf.sum(rowTok, 1), 1)));
};

export const LOSS_AGGREGATIONS = {
  'token-mean': tokenMean,
  'seq-mean-token-sum': seqMeanTokenSum,
  'seq-mean-token-mean': seqMeanTokenMean,
  'seq-mean-token-sum-norm': seqMeanTokenSumNorm,
  'micro-batch-token-mean': microBatchTokenMean,
} satisfies Record<string, AggregationFn>;

export type AggregationName = keyof typeof LOSS_AGGREGATIONS;
