// greedyDecode: the plainest KV-cached decoding loop (argmax, no padding), for checking a
// model against reference continuations. Full sampling lives in lib/sampling.
import * as tf from '@tensorflow/tfjs';
import type { CausalLM } from './types';

/** prompt ++ `newTokens` argmax tokens (ties: the lowest id, as torch.argmax). */
export async function greedyDecode(model: CausalLM, prompt: readonly number[], newTokens: number): Promise<number[]> {
  if (prompt.length === 0) throw new Error('greedyDecode: prompt is empty');
  const out = [...prompt];
  const cache = model.initCache(1, prompt.length + newTokens);
  try {
    let next: number[] = [...prompt];
    for (let step = 0; step < newTokens; step++) {
      const ids = tf.tensor2d(next, [1, next.length], 'int32');
      const { logits } = model.forwardCached(ids, cache);
      ids.dispose();
      const lastT = tf.slice(logits, [0, next.length - 1, 0], [1, 1, -1]); // [1,t,V] → last position
      logits.dispose();
      const last = await lastT.data();
      lastT.dispose();
      let best = 0;
      for (let i = 1; i < last.length; i++) if (last[i] > last[best]) best = i;
      out.push(best);
      next = [best];
    }
  } finally {
    cache.dispose();
  }
  return out;
}
