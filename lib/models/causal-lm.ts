// The CausalLM facade shared by every architecture. An architecture supplies one `run`
// (ids + positions + an attention callback per layer → logits); the callback attends within
// the call (forward) or stores keys/values in the blocked cache and attends over it (kv-cache.ts);
// this file turns it into forward, the KV-cached path, token log-probs and parameter handling.
import * as tf from '@tensorflow/tfjs';
import { BlockKVCache, DEFAULT_BLOCK_SIZE, attendCached, type CachedMasks, type LayerStore } from './kv-cache';
import { attention } from './layers';
import { additiveMask, additiveMaskQueryMajor, maskValues, positionValues } from './masks';
import { mm } from '../tensor';
import type { CacheOptions, CachedForwardOptions, CachedOutput, CausalLM, ForwardOptions, KVCache, ModelConfig, SharedSuffixes } from './types';

/**
 * Attention of one layer: queries [B,H,T,hd] and this call's keys/values [B,Hkv,T,hd] →
 * [B,T,H*hd]. The full forward attends within the call; the cached path also stores k/v and
 * attends over everything stored.
 */
export type AttendFn = (layer: number, q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D) => tf.Tensor3D;

export interface RunInput {
  ids: tf.Tensor2D;
  /** Row-major [B*T] positions of the new tokens. */
  positions: Int32Array;
  attend: AttendFn;
  /** false on paths that never need a gradient: implementations may take ops without one (tf.gather). */
  grad: boolean;
  /** Logits of the last position only ([B,1,V]). */
  lastOnly: boolean;
}

export interface RunOutput {
  logits: tf.Tensor3D;
}

/** What an architecture implements. */
export interface Decoder<C extends ModelConfig> {
  readonly config: C;
  readonly params: Record<string, tf.Variable>;
  /** Largest position + 1 the model can embed (learned positions), or null (rope). */
  readonly positionLimit: number | null;
  run(x: RunInput): RunOutput;
}

/** Runs f with the gradient tape off, so nothing is recorded even inside tf.grads. */
export function withoutTape<T>(f: () => T): T {
  const state = tf.engine().state; // the tape records only while gradientDepth > 0 (tfjs-core engine.isTapeOn)
  const depth = state.gradientDepth;
  state.gradientDepth = 0;
  try {
    return f();
  } finally {
    state.gradientDepth = depth;
  }
}

function checkIds(ids: tf.Tensor2D, fn: string, vocab: number): void {
  if (!(ids instanceof tf.Tensor) || ids.rank !== 2) throw new Error(`${fn}: ids must be an int32 tf.Tensor2D [B,T]`);
  if (ids.dtype !== 'int32') throw new Error(`${fn}: ids has dtype ${ids.dtype}; pass int32 token ids`);
  if (ids.shape[1] === 0) throw new Error(`${fn}: ids [${ids.shape.join(',')}] holds no tokens`);
  const v = ids.dataSync();
  for (let i = 0; i < v.length; i++) {
    if (v[i] < 0 || v[i] >= vocab) throw new Error(`${fn}: ids holds ${v[i]} at flat index ${i}, outside the vocabulary [0, ${vocab})`);
  }
}

function vocabOf(c: ModelConfig): number {
  return c.vocabSize;
}

function checkPositions(pos: Int32Array, limit: number | null, fn: string): void {
  if (limit === null) return;
  for (let i = 0; i < pos.length; i++) {
    if (pos[i] >= limit) throw new Error(`${fn}: position ${pos[i]} is beyond the model's context (${limit} positions)`);
  }
}

/** Builds the CausalLM facade over a decoder. */
export function makeCausalLM<C extends ModelConfig>(dec: Decoder<C>): CausalLM<C> {
  const vocab = vocabOf(dec.config);
  let disposed = false;
  const alive = (fn: string): void => {
    if (disposed) throw new Error(`${fn}: the model was disposed`);
  };

  const forward = (ids: tf.Tensor2D, opts: ForwardOptions = {}, grad = true): tf.Tensor3D => {
    alive('forward');
    checkIds(ids, 'forward', vocab);
    const [b, t] = ids.shape;
    const keyMask = maskValues(opts.attentionMask, b, t, 'forward');
    const positions = positionValues(opts.positions, keyMask, new Array<number>(b).fill(0), 'forward');
    checkPositions(positions, dec.positionLimit, 'forward');
    return tf.tidy('forward', () => {
      const mask = additiveMask(keyMask, 0, t);
      const attend: AttendFn = (_layer, q, k, v) => attention(q, k, v, mask, grad);
      return dec.run({ ids, positions, attend, grad, lastOnly: false }).logits;
    });
  };

  // Prompts once, continuations per row: the prompts run through the decoder as their own batch,
  // storing each layer's keys/values; the continuations then run with every layer attending over
  // [its prompt's keys (picked by a one-hot matmul, so the gradient flows back on wasm), its own].
  // The kernels see the same keys in the same order as forward() on the joined rows, so the logits
  // are bitwise forward()'s; gradients sum the prompt's share over its rows in another order.
  const forwardShared = (prefixIds: tf.Tensor2D, groups: ReadonlyArray<SharedSuffixes>): tf.Tensor3D[] => {
    alive('forwardShared');
    checkIds(prefixIds, 'forwardShared', vocab);
    const [p, tp] = prefixIds.shape;
    groups.forEach(({ rowPrefix, suffixIds }, g) => {
      checkIds(suffixIds, `forwardShared (group ${g})`, vocab);
      const [b, ts] = suffixIds.shape;
      if (rowPrefix.length !== b) throw new Error(`forwardShared: group ${g}'s rowPrefix has ${rowPrefix.length} entries for ${b} suffix rows; give one per row`);
      rowPrefix.forEach((r, i) => {
        if (!Number.isInteger(r) || r < 0 || r >= p) throw new Error(`forwardShared: group ${g}'s rowPrefix[${i}] is ${r}, not a prompt index in [0, ${p})`);
      });
      checkPositions(Int32Array.of(tp + ts - 1), dec.positionLimit, 'forwardShared');
    });
    const prefixPositions = Int32Array.from({ length: p * tp }, (_, i) => i % tp);
    return tf.tidy('forwardShared', () => {
      const prefixMask = additiveMask(Array.from({ length: p }, () => new Array<number>(tp).fill(1)), 0, tp);
      const kv: Array<{ k: tf.Tensor4D; v: tf.Tensor4D }> = [];
      const prefixAttend: AttendFn = (layer, q, k, v) => {
        kv[layer] = { k, v };
        return attention(q, k, v, prefixMask, true);
      };
      const last = dec.run({ ids: prefixIds, positions: prefixPositions, attend: prefixAttend, grad: true, lastOnly: true }).logits; // [P,1,V]
      return groups.map(({ rowPrefix, suffixIds }) => {
        const [b, ts] = suffixIds.shape;
        const pick = new Float32Array(b * p); // [B,P] one-hot: row i ← prompt rowPrefix[i]
        rowPrefix.forEach((r, i) => { pick[i * p + r] = 1; });
        const picker = tf.tensor2d(pick, [b, p]);
        const rows = <T extends tf.Tensor>(x: T): T => tf.reshape(mm(picker, tf.reshape(x, [p, -1]) as tf.Tensor2D), [b, ...x.shape.slice(1)]) as T;
        const suffixMask = additiveMask(Array.from({ length: b }, () => new Array<number>(tp + ts).fill(1)), tp, ts);
        const suffixAttend: AttendFn = (layer, q, k, v) => {
          const keys = tf.concat([rows(kv[layer].k), k], 2) as tf.Tensor4D; // [B,Hkv,Tp+Ts,hd]
          const values = tf.concat([rows(kv[layer].v), v], 2) as tf.Tensor4D;
          return attention(q, keys, values, suffixMask, true);
        };
        const positions = Int32Array.from({ length: b * ts }, (_, i) => tp + (i % ts));
        const rest = dec.run({ ids: suffixIds, positions, attend: suffixAttend, grad: true, lastOnly: false }).logits; // [B,Ts,V]
        return tf.concat([rows(last), rest], 1) as tf.Tensor3D;
      });
    });
  };

  const initCache = (batch: number, maxLen: number, opts: CacheOptions = {}): KVCache => {
    alive('initCache');
    if (!Number.isInteger(batch) || batch < 1) throw new Error(`initCache: batch must be a positive integer, received ${batch}`);
    if (!Number.isInteger(maxLen) || maxLen < 1) throw new Error(`initCache: maxLen must be a positive integer, received ${maxLen}`);
    if (dec.positionLimit !== null && maxLen > dec.positionLimit) {
      throw new Error(`initCache: maxLen ${maxLen} exceeds the model's context (${dec.positionLimit} positions)`);
    }
    const block = opts.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(block) || block < 1) throw new Error(`initCache: blockSize must be a positive integer, received ${String(block)}`);
    return new BlockKVCache(batch, maxLen, block, dec);
  };

  const forwardCached = (ids: tf.Tensor2D, kv: KVCache, opts: CachedForwardOptions = {}): CachedOutput => {
    alive('forwardCached');
    if (!(kv instanceof BlockKVCache) || kv.owner !== dec) throw new Error('forwardCached: the cache was not made by this model\'s initCache');
    if (kv.disposed) throw new Error('forwardCached: the cache was disposed');
    const which = opts.logits ?? 'all';
    if (which !== 'all' && which !== 'last') throw new Error(`forwardCached: logits must be 'all' or 'last', received ${String(which)}`);
    checkIds(ids, 'forwardCached', vocab);
    const [b, t] = ids.shape;
    if (b !== kv.batch) throw new Error(`forwardCached: ids have ${b} rows but the cache holds ${kv.batch}`);
    if (kv.length + t > kv.maxLen) throw new Error(`forwardCached: ${kv.length} cached + ${t} new tokens exceed the cache's maxLen ${kv.maxLen}`);
    const newMask = maskValues(opts.attentionMask, b, t, 'forwardCached');
    const positions = positionValues(opts.positions, newMask, kv.nextPosition, 'forwardCached');
    checkPositions(positions, dec.positionLimit, 'forwardCached');
    const keyMask = kv.keyMask.map((row, i) => row.concat(newMask[i]));
    const past = kv.length;
    const stores: LayerStore[] = [];
    const run = () => withoutTape(() => tf.tidy('forwardCached', () => {
      let plain: tf.Tensor4D | null = null;
      let queryMajor: tf.Tensor4D | null = null;
      const masks: CachedMasks = {
        plain: () => (plain === null ? (plain = additiveMask(keyMask, past, t)) : plain),
        queryMajor: () => (queryMajor === null ? (queryMajor = additiveMaskQueryMajor(keyMask, past, t)) : queryMajor),
      };
      const attend: AttendFn = (layer, q, k, v) => {
        const r = attendCached(kv.layers[layer] ?? null, q, k, v, masks, kv.blockSize);
        stores[layer] = r.store;
        return r.y;
      };
      return dec.run({ ids, positions, attend, grad: false, lastOnly: which === 'last' }).logits;
    }));
    let logits: tf.Tensor3D;
    try {
      logits = run();
    } catch (err) {
      kv.discard(stores); // a failed run leaves the cache as it was
      throw err;
    }
    kv.commit(stores);
    kv.keyMask = keyMask;
    kv.nextPosition = kv.nextPosition.map((p, i) => p + newMask[i].reduce((a, m) => a + m, 0));
    kv.length += t;
    return { logits, cache: kv };
  };

  const logProbs = (ids: tf.Tensor2D, completionMask: tf.Tensor2D | null, opts: ForwardOptions, grad: boolean): tf.Tensor2D => {
    const [b, t] = ids.shape;
    if (t < 2) throw new Error(`tokenLogProbs: ids [${b},${t}] needs at least 2 tokens (each log-prob is of the next token)`);
    // Constants, outside the differentiated part: one-hot of each position's NEXT token
    // ([B,T,V], last position all-zero) and the wanted-mask shifted onto [B,T-1].
    const idv = ids.dataSync();
    const target = new Float32Array(b * t * vocab);
    for (let i = 0; i < b; i++) for (let j = 0; j + 1 < t; j++) target[(i * t + j) * vocab + idv[i * t + j + 1]] = 1;
    let keep: Float32Array | null = null;
    if (completionMask !== null) {
      const cm = maskValues(completionMask, b, t, 'tokenLogProbs completionMask');
      keep = new Float32Array(b * (t - 1));
      for (let i = 0; i < b; i++) for (let j = 0; j + 1 < t; j++) keep[i * (t - 1) + j] = cm[i][j + 1];
    }
    return tf.tidy('tokenLogProbs', () => {
      const logits = forward(ids, opts, grad); // [B,T,V]
      const picked = tf.sum(tf.mul(logits, tf.tensor3d(target, [b, t, vocab])), -1); // [B,T]
      const lp = tf.slice(tf.sub(picked, tf.logSumExp(logits, -1)), [0, 0], [b, t - 1]) as tf.Tensor2D; // [B,T] → [B,T-1]
      return keep === null ? lp : (tf.mul(lp, tf.tensor2d(keep, [b, t - 1])) as tf.Tensor2D);
    });
  };

  return {
    config: dec.config,
    forward: (ids, opts) => forward(ids, opts, true),
    forwardShared,
    initCache,
    forwardCached,
    tokenLogProbs: (ids, completionMask, opts = {}) => {
      alive('tokenLogProbs');
      return logProbs(ids, completionMask, opts, true);
    },
    tokenLogProbsNoGrad: (ids, completionMask, opts = {}) => {
      alive('tokenLogProbsNoGrad');
      return withoutTape(() => logProbs(ids, completionMask, opts, false));
    },
    parameters: () => {
      alive('parameters');
      return { ...dec.params };
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const v of Object.values(dec.params)) v.dispose();
    },
  };
}
