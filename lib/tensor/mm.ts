// mm(a, b): 2-D matmul whose gradient stays on wasm's fast path. The XNNPACK kernel
// runs only for untransposed, unbatched matmuls (ts-stack.md §1.4.1); tf.matMul's own
// gradient uses transpose flags and drops to a ~2 GFLOP/s scalar loop. Here the
// backward transposes explicitly, then multiplies plainly.
import * as tf from '@tensorflow/tfjs';
import { fmtShape, requireMatch, requireRank, requireTensor } from './shapes';

const mmWithGrad = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [a, b, save] = inputs as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b), // [M,K] x [K,N] → [M,N]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), // [M,N] x [N,K] → dA [M,K]
        tf.matMul(tf.transpose(sa), dy as tf.Tensor2D), // [K,M] x [M,N] → dB [K,N]
      ];
    },
  };
});

function flatHint(x: tf.Tensor, side: 'a' | 'b'): string {
  if (x.rank > 2) {
    const last = x.shape[x.rank - 1];
    const rest = x.size / last;
    return side === 'a'
      ? `reshape to ${fmtShape([rest, last])} first, or use linear() (wasm's fast path is 2-D only)`
      : `use bmm() for batched operands`;
  }
  return side === 'a' ? `reshape to ${fmtShape([1, x.size])} first` : `reshape to ${fmtShape([x.size, 1])} first`;
}

/** [M,K] x [K,N] → [M,N], float32, with a fast-path gradient. */
export function mm(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  requireTensor('mm', 'a', a, 'float32');
  requireTensor('mm', 'b', b, 'float32');
  requireRank('mm', 'a', a, 2, flatHint(a, 'a'));
  requireRank('mm', 'b', b, 2, flatHint(b, 'b'));
  requireMatch('mm', `a ${fmtShape(a.shape)} x b ${fmtShape(b.shape)}`, "a's columns", a.shape[1], "b's rows", b.shape[0]);
  return mmWithGrad(a, b) as tf.Tensor2D;
}
