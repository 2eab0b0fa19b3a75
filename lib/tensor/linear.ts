// linear(x, w, b?): a dense layer over the last axis of any-rank input, routed
// through mm() so that both the forward and the gradient use 2-D fast-path matmuls.
import * as tf from '@tensorflow/tfjs';
import { mm } from './mm';
import { fmtShape, requireMatch, requireRank, requireTensor } from './shapes';

/** [..., in] x [in, out] (+ [out]) → [..., out], float32. */
export function linear(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  requireTensor('linear', 'x', x, 'float32');
  requireTensor('linear', 'w', w, 'float32');
  requireRank('linear', 'w', w, 2, 'pass the weight as [in, out]');
  if (x.rank < 1) throw new Error(`linear: x is a scalar but linear takes [..., ${w.shape[0]}]; reshape it to [1]`);
  const [inDim, outDim] = w.shape;
  const xs = fmtShape(x.shape);
  requireMatch('linear', `x ${xs} x w ${fmtShape(w.shape)}`, "x's last dim", x.shape[x.rank - 1], "w's rows (in)", inDim);
  if (b !== undefined) {
    requireTensor('linear', 'b', b, 'float32');
    requireRank('linear', 'b', b, 1, `pass the bias as [${outDim}]`);
    requireMatch('linear', `b ${fmtShape(b.shape)} for w ${fmtShape(w.shape)}`, "b's length", b.shape[0], "w's columns (out)", outDim);
  }
  return tf.tidy(() => {
    const lead = x.shape.slice(0, -1);
    const x2 = tf.reshape(x, [-1, inDim]) as tf.Tensor2D; // [..., in] → [n, in]
    let y: tf.Tensor = mm(x2, w); // [n, in] x [in, out] → [n, out]
    if (b !== undefined) y = tf.add(y, b); // + [out], broadcast over rows
    return tf.reshape(y, [...lead, outDim]); // [n, out] → [..., out]
  });
}
