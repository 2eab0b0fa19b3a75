// logSoftmaxRows(x): log softmax over the last axis of [N,V] logits, as one fixed sequence of
// kernels (z = x − max, log Σ exp z summed per row, z − log Σ). The GRPO trainer's log π
// (lib/grpo/train/sequences.ts) and the sampler's log-probs of the sampled tokens (generate's
// modelLogProbs) both come from here, so on bitwise-equal logits they are bitwise equal: π_old from
// the sampler is the trainer's own recompute (GrpoAlgoConfig.oldLogProbs).
import * as tf from '@tensorflow/tfjs';

/** The pieces the trainer's gradient reuses: z = x − max x, e = exp z, its row sums [N,1], and log softmax [N,V]. */
export interface LogSoftmaxParts {
  z: tf.Tensor2D;
  e: tf.Tensor2D;
  sum: tf.Tensor2D;
  logp: tf.Tensor2D;
}

/** The parts of log softmax over the last axis of x [N,V]. No gradient flows through the max (it cancels). */
export function logSoftmaxParts(x: tf.Tensor2D): LogSoftmaxParts {
  const z = tf.sub(x, tf.max(x, -1, true)) as tf.Tensor2D;
  const e = tf.exp(z) as tf.Tensor2D;
  const sum = tf.sum(e, -1, true) as tf.Tensor2D; // [N,1]
  return { z, e, sum, logp: tf.sub(z, tf.log(sum)) as tf.Tensor2D };
}

/** log softmax over the last axis of x [N,V] → [N,V]. */
export function logSoftmaxRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => logSoftmaxParts(x).logp);
}
