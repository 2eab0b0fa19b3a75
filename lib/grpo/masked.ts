// Masked reductions over [B, T] response tensors (mask: 1 = response token, 0 = padding),
// plus stop-gradient, which tfjs lacks as an op.
import * as tf from '@tensorflow/tfjs';

/** Mean of x over positions where mask = 1; 0 when the mask is empty (not NaN). */
export function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1));
}

/** Min and max of x over positions where mask = 1 (±Infinity when the mask is empty). */
export function maskedMinMax(x: tf.Tensor, mask: tf.Tensor): { min: tf.Scalar; max: tf.Scalar } {
  const on = tf.greater(mask, 0);
  return {
    min: tf.min(tf.where(on, x, tf.fill(x.shape, Infinity))),
    max: tf.max(tf.where(on, x, tf.fill(x.shape, -Infinity))),
  };
}

/** 1 at the first response token of each row (first position where mask = 1), else 0. [B, T] → [B, T]. */
export function firstTokenMask(mask: tf.Tensor2D): tf.Tensor2D {
  const seen = tf.cumsum(mask, 1); // [B, T]: response tokens up to and including t
  return tf.mul(mask, tf.cast(tf.equal(seen, 1), 'float32'));
}

const stopGradientImpl = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: tf.clone(inputs[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));

/** The same values, with no gradient flowing back (sg(·) in grpo.md). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientImpl(x) as T;
}
