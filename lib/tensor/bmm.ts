// bmm(a, b): batched matmul [N,T,K] x [N,K,M] → [N,T,M]. On wasm (and cpu) it runs as
// N plain 2-D matmuls: the batched kernel and its transposed gradients miss XNNPACK
// (ts-stack.md §1.4.1; a loop with the patched Unpack is ~5× faster in the tiny GPT).
// Backends with real batched kernels (tfjs-node, WebGPU) take one tf.matMul.
import * as tf from '@tensorflow/tfjs';
import { fmtShape, requireMatch, requireRank, requireTensor } from './shapes';

/** Stacks the 2-D products as[i] x bs[i]. */
function loopMatMul(as: tf.Tensor[], bs: tf.Tensor[]): tf.Tensor3D {
  return tf.stack(as.map((ai, i) => tf.matMul(ai as tf.Tensor2D, bs[i] as tf.Tensor2D))) as tf.Tensor3D;
}

const bmmLooped = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = inputs as [tf.Tensor3D, tf.Tensor3D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: loopMatMul(tf.unstack(a), tf.unstack(b)), // [N,T,K] x [N,K,M] → [N,T,M]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor3D, tf.Tensor3D];
      const dys = tf.unstack(dy);
      return [
        loopMatMul(dys, tf.unstack(tf.transpose(sb, [0, 2, 1]))), // [N,T,M] x [N,M,K] → dA [N,T,K]
        loopMatMul(tf.unstack(tf.transpose(sa, [0, 2, 1])), dys), // [N,K,T] x [N,T,M] → dB [N,K,M]
      ];
    },
  };
});

/** Backends whose batched matmul is slow (no fast kernel for batch > 1 or transposes). */
const LOOPED_BACKENDS = new Set(['wasm', 'cpu']);

/** [N,T,K] x [N,K,M] → [N,T,M], float32. */
export function bmm(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  requireTensor('bmm', 'a', a, 'float32');
  requireTensor('bmm', 'b', b, 'float32');
  requireRank('bmm', 'a', a, 3, 'reshape to [N,T,K] first (merge batch and head axes into N); use mm() for 2-D');
  requireRank('bmm', 'b', b, 3, 'reshape to [N,K,M] first; use mm() for 2-D');
  const pair = `a ${fmtShape(a.shape)} x b ${fmtShape(b.shape)}`;
  requireMatch('bmm', pair, "a's batch N", a.shape[0], "b's batch N", b.shape[0]);
  requireMatch('bmm', pair, "a's last dim K", a.shape[2], "b's middle dim K", b.shape[1]);
  if (LOOPED_BACKENDS.has(tf.getBackend())) return bmmLooped(a, b) as tf.Tensor3D;
  return tf.matMul(a, b);
}
