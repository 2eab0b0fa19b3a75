// addMany: tf.addN for any number of tensors on every backend. tfjs-backend-webgpu 4.22 runs
// AddN as one shader with a storage buffer per input, and WebGPU's default limit is 8 per
// stage: with more inputs the pipeline is invalid and the result silently stays zero (seen on
// an H100: a 29-input gradient norm read 0). Concat splits itself; AddN does not, so we do.
import * as tf from '@tensorflow/tfjs';

/** Inputs per AddN call: 7 inputs + 1 output fit WebGPU's default 8 storage buffers. */
export const ADD_N_CHUNK = 7;

/** Sum of same-shape tensors (at least one); AddN in chunks of ADD_N_CHUNK, then of the partial sums. */
export function addMany<T extends tf.Tensor>(ts: readonly T[]): T {
  if (ts.length === 0) throw new Error('addMany: no tensors to add');
  if (ts.length === 1) return tf.clone(ts[0]);
  if (ts.length <= ADD_N_CHUNK) return tf.addN([...ts]);
  return tf.tidy(() => {
    const partial: T[] = [];
    for (let i = 0; i < ts.length; i += ADD_N_CHUNK) {
      const chunk = ts.slice(i, i + ADD_N_CHUNK);
      partial.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
    }
    return addMany(partial);
  });
}
