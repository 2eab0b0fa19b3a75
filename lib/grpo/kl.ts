// KL-to-reference estimators (grpo.md §2.4), per token, with Δ = logp − refLogp (Schulman's k1/k2/k3).
import * as tf from '@tensorflow/tfjs';

export type KlEstimatorFn = (logp: tf.Tensor2D, refLogp: tf.Tensor2D) => tf.Tensor2D;

/** k1 = Δ (the authors' default, since --use_kl_estimator_k3 is not passed). */
const k1: KlEstimatorFn = (logp, ref) => tf.sub(logp, ref);

/** k2 = ½Δ² (its gradient is the unbiased KL gradient). */
const k2: KlEstimatorFn = (logp, ref) => tf.mul(tf.square(tf.sub(logp, ref)), 0.5);

/** k3 = e^{−Δ} − 1 + Δ, with −Δ clamped to [−20, 20] and the result to [−10, 10] as verl's low_var_kl. */
const k3: KlEstimatorFn = (logp, ref) => {
  const negDelta = tf.clipByValue(tf.sub(ref, logp), -20, 20);
  return tf.clipByValue(tf.sub(tf.sub(tf.exp(negDelta), 1), negDelta), -10, 10) as tf.Tensor2D;
};

export const KL_ESTIMATORS = { k1, k2, k3 } satisfies Record<string, KlEstimatorFn>;

export type KlEstimatorName = keyof typeof KL_ESTIMATORS;
