// Attention masks and default positions, built in JS from the caller's int/float masks.
// They are constants: computed before (outside) any differentiated function.
import * as tf from '@tensorflow/tfjs';

/** Added to scores a query may not see: large but finite, so an all-masked (pad) row stays finite. */
export const MASKED = -1e9;

/** Row-major [B,T] values of an optional mask tensor (1 = real, 0 = pad), checked. */
export function maskValues(mask: tf.Tensor2D | undefined, batch: number, time: number, fn: string): number[][] {
  if (mask === undefined) return Array.from({ length: batch }, () => new Array<number>(time).fill(1));
  if (mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== time) {
    throw new Error(`${fn}: attentionMask is [${mask.shape.join(',')}] but ids are [${batch},${time}]; they must match`);
  }
  const flat = mask.dataSync();
  const rows: number[][] = [];
  for (let b = 0; b < batch; b++) {
    const row: number[] = [];
    for (let t = 0; t < time; t++) {
      const m = flat[b * time + t];
      if (m !== 0 && m !== 1) throw new Error(`${fn}: attentionMask[${b}][${t}] is ${m}; use 1 for real tokens and 0 for padding`);
      row.push(m);
    }
    rows.push(row);
  }
  return rows;
}

/**
 * Positions [B*T] for new tokens: given ones (checked), else HF's default for padded batches,
 * start + cumsum(mask) - 1 clamped at 0 (pads before the first real token get 0).
 */
export function positionValues(
  positions: tf.Tensor2D | undefined, newMask: number[][], start: readonly number[], fn: string,
): Int32Array {
  const batch = newMask.length;
  const time = batch === 0 ? 0 : newMask[0].length;
  if (positions !== undefined) {
    if (positions.rank !== 2 || positions.shape[0] !== batch || positions.shape[1] !== time) {
      throw new Error(`${fn}: positions is [${positions.shape.join(',')}] but ids are [${batch},${time}]; they must match`);
    }
    const flat = positions.dataSync();
    const out = new Int32Array(flat.length);
    for (let i = 0; i < flat.length; i++) {
      if (!Number.isInteger(flat[i]) || flat[i] < 0) throw new Error(`${fn}: positions holds ${flat[i]} at flat index ${i}; positions are integers >= 0`);
      out[i] = flat[i];
    }
    return out;
  }
  const out = new Int32Array(batch * time);
  for (let b = 0; b < batch; b++) {
    let seen = start[b];
    for (let t = 0; t < time; t++) {
      seen += newMask[b][t];
      out[b * time + t] = Math.max(seen - 1, 0);
    }
  }
  return out;
}

/**
 * Additive mask [B,1,T,S] for T new queries after `past` stored keys (S = past + T):
 * query t sees key s when s <= past + t (causal) and key s is a real token.
 */
export function additiveMask(keyMask: ReadonlyArray<readonly number[]>, past: number, time: number): tf.Tensor4D {
  const batch = keyMask.length;
  const s = past + time;
  const data = new Float32Array(batch * time * s);
  for (let b = 0; b < batch; b++) {
    const keys = keyMask[b];
    for (let t = 0; t < time; t++) {
      const base = (b * time + t) * s;
      for (let j = 0; j < s; j++) if (j > past + t || keys[j] === 0) data[base + j] = MASKED;
    }
  }
  return tf.tensor4d(data, [batch, 1, time, s]);
}

/**
 * The same mask laid out for the blocked decode attention (kv-cache.ts): [1, T*B, 1, S],
 * query-major (row t*B + b), to broadcast over the query-head groups and kv heads.
 */
export function additiveMaskQueryMajor(keyMask: ReadonlyArray<readonly number[]>, past: number, time: number): tf.Tensor4D {
  const batch = keyMask.length;
  const s = past + time;
  const data = new Float32Array(time * batch * s);
  for (let t = 0; t < time; t++) {
    for (let b = 0; b < batch; b++) {
      const keys = keyMask[b];
      const base = (t * batch + b) * s;
      for (let j = 0; j < s; j++) if (j > past + t || keys[j] === 0) data[base + j] = MASKED;
    }
  }
  return tf.tensor4d(data, [1, time * batch, 1, s]);
}
