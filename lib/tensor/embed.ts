// embed(ids, table): token embeddings as oneHot(ids) x table. tf.gather's gradient needs
// UnsortedSegmentSum, which wasm lacks (ts-stack.md §1.4.4); a matmul through mm()
// has a fast-path gradient on every backend.
import * as tf from '@tensorflow/tfjs';
import { mm } from './mm';
import { fmtShape, requireRank, requireTensor } from './shapes';

/** ids [...] (int32, each in [0, V)) with table [V, D] → [..., D], float32. */
export function embed(ids: tf.Tensor, table: tf.Tensor2D): tf.Tensor {
  requireTensor('embed', 'ids', ids, 'int32');
  requireTensor('embed', 'table', table, 'float32');
  requireRank('embed', 'table', table, 2, 'pass the table as [vocab, dim]');
  const [vocab, dim] = table.shape;
  if (vocab < 2) throw new Error(`embed: table is ${fmtShape(table.shape)} but needs at least 2 rows (tf.oneHot's minimum depth)`);
  // An out-of-range id would one-hot to an all-zero row: a silent zero embedding.
  const values = ids.dataSync();
  for (let i = 0; i < values.length; i++) {
    if (values[i] < 0 || values[i] >= vocab) {
      throw new Error(`embed: ids (shape ${fmtShape(ids.shape)}) holds ${values[i]} at flat index ${i}, outside the table's [0, ${vocab})`);
    }
  }
  return tf.tidy(() => {
    const flat = tf.reshape(ids, [-1]); // [...] → [n]
    // int32 one-hot, then a real cast: wasm's OneHot ignores its dtype argument and
    // writes int32 bits into a float32 tensor (1 reads as 1.4e-45).
    const hot = tf.cast(tf.oneHot(flat, vocab), 'float32') as tf.Tensor2D; // [n] → [n, V]
    return tf.reshape(mm(hot, table), [...ids.shape, dim]); // [n,V] x [V,D] → [n,D] → [..., D]
  });
}
