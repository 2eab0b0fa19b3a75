// The blocked KV cache behind forwardCached. tfjs tensors are immutable, so a cache grown by
// tf.concat copies every stored key and value at every step (and the old decode attention
// also transposed all keys each step): per-token cost grew with length far beyond the
// attention product. Here each layer stores
// - frozen blocks, written once, already in the layouts the decode attention consumes: keys
//   [1,hd,N,len] and values [1,len,N,hd] (N = batch * kv heads) are the filters of two
//   depthwise convolutions, which on wasm run through XNNPACK and keep their packed filters
//   cached per tensor, so a frozen block is never copied or repacked again. A block freezes at
//   `blockSize` positions; every MERGE consecutive such blocks are joined once into one (fewer,
//   larger convolutions per step; the join is amortised over MERGE * blockSize steps);
// - the last, partial block in plain layout [N,n,hd], rebuilt (O(blockSize)) at each step.
// Decode scores are computed per block and joined before one softmax (the same values as a
// softmax over all keys), then weights x values per block are summed. Inputs of more than
// FEW_QUERIES tokens (prefill chunks) rebuild plain keys/values once per call and use attention().
// Memory: on wasm, tfjs keeps a transposed copy of each convolution filter and XNNPACK a packed
// one, so once decoded over, frozen blocks take about 3x their size (d256/L6, batch 64, 544
// positions: 0.43 GB of keys/values become about 1.3 GB of the 4 GiB heap).
import * as tf from '@tensorflow/tfjs';
import { addMany } from '../tensor';
import { attention, attentionSoftmax } from './layers';
import type { KVCache } from './types';

/** Default positions per frozen block (joined in fours into blocks of 128). */
export const DEFAULT_BLOCK_SIZE = 32;

/** Frozen blocks of blockSize positions are joined in groups of this many. */
const MERGE = 4;

/** Query counts up to this take the blocked path (decoding); longer inputs (prefill) use attention() on plain keys. */
const FEW_QUERIES = 8;

/** One layer's stored keys and values; N = batch * kvHeads. */
export interface LayerStore {
  kvHeads: number;
  /** Frozen key blocks, oldest first, [1,hd,N,len]: the filter of the scores convolution. */
  kBlocks: tf.Tensor4D[];
  /** Frozen value blocks, [1,len,N,hd]: the filter of the weights x values convolution. */
  vBlocks: tf.Tensor4D[];
  /** Keys of the partial last block [N,n,hd] (0 < n < block), or null. */
  kTail: tf.Tensor3D | null;
  vTail: tf.Tensor3D | null;
}

function storeTensors(s: LayerStore): tf.Tensor[] {
  const out: tf.Tensor[] = [...s.kBlocks, ...s.vBlocks];
  if (s.kTail !== null) out.push(s.kTail);
  if (s.vTail !== null) out.push(s.vTail);
  return out;
}

/** Additive masks for one forwardCached call, built on first use. */
export interface CachedMasks {
  /** [B,1,T,S] for attention(). */
  plain(): tf.Tensor4D;
  /** [1,T*B,1,S] for the blocked path. */
  queryMajor(): tf.Tensor4D;
}

interface Appended {
  store: LayerStore;
  /** Old tail ++ new keys/values, plain [N,m,hd] (before freezing). */
  kRecent: tf.Tensor3D;
  vRecent: tf.Tensor3D;
}

/** Appends new keys/values [B,Hkv,t,hd]; freezes every block that fills up. */
function append(old: LayerStore | null, k: tf.Tensor4D, v: tf.Tensor4D, block: number): Appended {
  const [b, hkv, t, hd] = k.shape;
  const n = b * hkv;
  let kRecent = tf.reshape(k, [n, t, hd]) as tf.Tensor3D; // [B,Hkv,t,hd] → [N,t,hd]
  let vRecent = tf.reshape(v, [n, t, hd]) as tf.Tensor3D;
  if (old !== null && old.kTail !== null && old.vTail !== null) {
    kRecent = tf.concat([old.kTail, kRecent], 1); // copies the partial block only
    vRecent = tf.concat([old.vTail, vRecent], 1);
  }
  const m = kRecent.shape[1];
  const full = Math.floor(m / block);
  const kBlocks = old === null ? [] : [...old.kBlocks];
  const vBlocks = old === null ? [] : [...old.vBlocks];
  for (let i = 0; i < full; i++) {
    const kb = full === 1 && m === block ? kRecent : tf.slice(kRecent, [0, i * block, 0], [n, block, hd]);
    const vb = full === 1 && m === block ? vRecent : tf.slice(vRecent, [0, i * block, 0], [n, block, hd]);
    kBlocks.push(tf.reshape(tf.transpose(kb, [2, 0, 1]), [1, hd, n, block]) as tf.Tensor4D); // [N,block,hd] → [hd,N,block]
    vBlocks.push(tf.reshape(tf.transpose(vb, [1, 0, 2]), [1, block, n, hd]) as tf.Tensor4D); // [N,block,hd] → [block,N,hd]
    const lastK = kBlocks.slice(-MERGE);
    if (lastK.length === MERGE && lastK.every((x) => x.shape[3] === block)) {
      kBlocks.splice(-MERGE, MERGE, tf.concat(lastK, 3)); // along time: [1,hd,N,MERGE*block]
      vBlocks.splice(-MERGE, MERGE, tf.concat(vBlocks.slice(-MERGE), 1)); // [1,MERGE*block,N,hd]
    }
  }
  const rest = m - full * block;
  const tail = (x: tf.Tensor3D): tf.Tensor3D | null => {
    if (rest === 0) return null;
    return full === 0 ? x : tf.slice(x, [0, full * block, 0], [n, rest, hd]);
  };
  return { store: { kvHeads: hkv, kBlocks, vBlocks, kTail: tail(kRecent), vTail: tail(vRecent) }, kRecent, vRecent };
}

/**
 * Decode attention over the blocks: q [B,H,t,hd] (t small) → [B,t,H*hd]. Query heads are
 * laid out [g, t] (g = heads per kv head) on the convolutions' height axis, (batch, kv head) on
 * their channel axis.
 */
function blockedAttention(q: tf.Tensor4D, s: LayerStore, mask: tf.Tensor4D): tf.Tensor3D {
  const [b, h, t, hd] = q.shape;
  const hkv = s.kvHeads;
  const g = h / hkv;
  const n = b * hkv;
  const gt = g * t;
  const qs = tf.mul(q, 1 / Math.sqrt(hd));
  const parts: tf.Tensor3D[] = []; // scores [gt,N,len], in key order
  if (s.kBlocks.length > 0) {
    const qc = tf.reshape(tf.transpose(tf.reshape(qs, [b, hkv, g, t, hd]), [2, 3, 4, 0, 1]), [1, gt, hd, n]) as tf.Tensor4D; // → [g,t,hd,B,Hkv]
    for (const kb of s.kBlocks) parts.push(tf.reshape(tf.depthwiseConv2d(qc, kb, 1, 'valid'), [gt, n, kb.shape[3]]) as tf.Tensor3D); // [1,gt,1,N*len]
  }
  if (s.kTail !== null) {
    const qm = tf.reshape(qs, [n, gt, hd]) as tf.Tensor3D;
    parts.push(tf.transpose(tf.matMul(qm, s.kTail, false, true), [1, 0, 2]) as tf.Tensor3D); // [N,gt,hd]·[N,n,hd]ᵀ → [N,gt,n] → [gt,N,n]
  }
  const scores = parts.length === 1 ? parts[0] : tf.concat(parts, 2); // [gt,N,S]
  const len = scores.shape[2];
  const masked = tf.add(tf.reshape(scores, [g, t * b, hkv, len]), mask); // mask [1,t*B,1,S]
  const p = tf.reshape(attentionSoftmax(masked), [gt, n, len]) as tf.Tensor3D;
  const outs: tf.Tensor2D[] = []; // [gt, N*hd] per block
  if (s.vBlocks.length > 0) {
    const pT = tf.transpose(p, [0, 2, 1]); // [gt,S,N]
    let at = 0;
    for (const vb of s.vBlocks) {
      const l = vb.shape[1];
      const pi = tf.reshape(tf.slice(pT, [0, at, 0], [gt, l, n]), [1, gt, l, n]) as tf.Tensor4D;
      outs.push(tf.reshape(tf.depthwiseConv2d(pi, vb, 1, 'valid'), [gt, n * hd]) as tf.Tensor2D); // [1,gt,1,N*hd]
      at += l;
    }
  }
  if (s.vTail !== null) {
    const m = s.vTail.shape[1];
    const pt = tf.transpose(tf.slice(p, [0, 0, len - m], [gt, n, m]), [1, 0, 2]) as tf.Tensor3D; // [N,gt,m]
    outs.push(tf.reshape(tf.transpose(tf.matMul(pt, s.vTail), [1, 0, 2]), [gt, n * hd]) as tf.Tensor2D); // [N,gt,hd] → [gt,N*hd]
  }
  const sum = outs.length === 1 ? outs[0] : addMany(outs);
  return tf.reshape(tf.transpose(tf.reshape(sum, [g, t, b, hkv, hd]), [2, 1, 3, 0, 4]), [b, t, h * hd]) as tf.Tensor3D; // head = kv*g + gi
}

/** Plain keys and values [B,Hkv,S,hd] of everything stored plus the new tokens (for long inputs). */
function plainKV(old: LayerStore | null, a: Appended, b: number): { k: tf.Tensor4D; v: tf.Tensor4D } {
  const n = a.kRecent.shape[0];
  const hd = a.kRecent.shape[2];
  const kParts: tf.Tensor[] = [];
  const vParts: tf.Tensor[] = [];
  for (const kb of old?.kBlocks ?? []) kParts.push(tf.transpose(tf.reshape(kb, [hd, n, kb.shape[3]]), [1, 2, 0])); // → [N,block,hd]
  for (const vb of old?.vBlocks ?? []) vParts.push(tf.transpose(tf.reshape(vb, [vb.shape[1], n, hd]), [1, 0, 2]));
  kParts.push(a.kRecent);
  vParts.push(a.vRecent);
  const k = kParts.length === 1 ? kParts[0] : tf.concat(kParts, 1); // [N,S,hd]
  const v = vParts.length === 1 ? vParts[0] : tf.concat(vParts, 1);
  const s = k.shape[1] as number;
  return { k: tf.reshape(k, [b, n / b, s, hd]) as tf.Tensor4D, v: tf.reshape(v, [b, n / b, s, hd]) as tf.Tensor4D };
}

/**
 * Stores this step's keys/values [B,Hkv,t,hd] after `old` and attends q [B,H,t,hd] over all of
 * them. Returns the attention output [B,t,H*hd] and the layer's new store, whose tensors are
 * kept (tf.keep): the caller commits it to the cache or, on failure, discards it.
 */
export function attendCached(
  old: LayerStore | null, q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, masks: CachedMasks, block: number,
): { y: tf.Tensor3D; store: LayerStore } {
  // Build both masks outside the layer's tidy: they are shared by all layers.
  const t = q.shape[2];
  const mask = t > FEW_QUERIES ? masks.plain() : masks.queryMajor();
  let store: LayerStore | null = null;
  // A tidy per layer: a long input's plain copy of the keys/values is freed before the next layer.
  const y = tf.tidy(() => {
    const a = append(old, k, v, block);
    store = a.store;
    let out: tf.Tensor3D;
    if (t > FEW_QUERIES) {
      const { k: kAll, v: vAll } = plainKV(old, a, q.shape[0]);
      out = attention(q, kAll, vAll, mask, false);
    } else {
      out = blockedAttention(q, a.store, mask);
    }
    storeTensors(a.store).forEach((x) => tf.keep(x)); // survive this tidy; the caller's tidy owns them next
    return out;
  });
  if (store === null) throw new Error('attendCached: internal error, no store');
  return { y, store };
}

/** The store restricted to batch rows `rows` (of `b`); the result owns new tensors only. */
function selectStore(s: LayerStore, rows: tf.Tensor1D, b: number): LayerStore {
  const hkv = s.kvHeads;
  const kept = rows.shape[0];
  const kBlocks = s.kBlocks.map((kb) => tf.tidy(() => {
    const [, hd, , block] = kb.shape;
    return tf.reshape(tf.gather(tf.reshape(kb, [hd, b, hkv * block]), rows, 1), [1, hd, kept * hkv, block]) as tf.Tensor4D;
  }));
  const vBlocks = s.vBlocks.map((vb) => tf.tidy(() => {
    const [, block, , hd] = vb.shape;
    return tf.reshape(tf.gather(tf.reshape(vb, [block, b, hkv * hd]), rows, 1), [1, block, kept * hkv, hd]) as tf.Tensor4D;
  }));
  const tail = (x: tf.Tensor3D | null): tf.Tensor3D | null => {
    if (x === null) return null;
    const [, m, hd] = x.shape;
    return tf.tidy(() => tf.reshape(tf.gather(tf.reshape(x, [b, hkv * m * hd]), rows, 0), [kept * hkv, m, hd]) as tf.Tensor3D);
  };
  return { kvHeads: hkv, kBlocks, vBlocks, kTail: tail(s.kTail), vTail: tail(s.vTail) };
}

/** Disposes the tensors of `before` that `after` no longer holds. */
function disposeReplaced(before: ReadonlyArray<LayerStore | null>, after: ReadonlyArray<LayerStore | null>): void {
  const keep = new Set<tf.Tensor>();
  for (const s of after) if (s !== null) storeTensors(s).forEach((x) => keep.add(x));
  for (const s of before) if (s !== null) for (const x of storeTensors(s)) if (!keep.has(x)) x.dispose();
}

export class BlockKVCache implements KVCache {
  /** Per layer; null until the first forwardCached. */
  layers: Array<LayerStore | null> = [];
  keyMask: number[][];
  nextPosition: number[];
  length = 0;
  disposed = false;
  constructor(public batch: number, readonly maxLen: number, readonly blockSize: number, readonly owner: object) {
    this.keyMask = Array.from({ length: batch }, () => []);
    this.nextPosition = new Array<number>(batch).fill(0);
  }

  /** Frees what a failed forward stored (the stores attendCached made that the cache does not hold). */
  discard(stores: ReadonlyArray<LayerStore | null>): void {
    disposeReplaced(stores, this.layers);
  }

  /** The cache rebuilt from rows `rows` of the current ones, in order (checked by the callers); masks are copied, since a row may repeat. */
  private takeRows(rows: readonly number[]): void {
    const b = this.batch;
    const idx = tf.tensor1d(Array.from(rows), 'int32');
    let stores: Array<LayerStore | null>;
    try {
      stores = this.layers.map((s) => (s === null ? null : selectStore(s, idx, b)));
    } finally {
      idx.dispose();
    }
    disposeReplaced(this.layers, stores);
    this.layers = stores;
    this.keyMask = rows.map((r) => [...this.keyMask[r]]);
    this.nextPosition = rows.map((r) => this.nextPosition[r]);
    this.batch = rows.length;
  }

  /** Installs the stores of a successful forward (kept by attendCached) and frees what they replaced. */
  commit(stores: LayerStore[]): void {
    disposeReplaced(this.layers, stores);
    this.layers = stores;
  }

  selectRows(rows: readonly number[]): void {
    if (this.disposed) throw new Error('selectRows: the cache was disposed');
    if (!Array.isArray(rows) || rows.length === 0) throw new Error('selectRows: rows is empty; keep at least one row (dispose the cache to drop all)');
    rows.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0 || r >= this.batch) throw new Error(`selectRows: rows[${i}] is ${r}, not a row index in [0, ${this.batch})`);
      if (i > 0 && r <= rows[i - 1]) throw new Error(`selectRows: rows must be strictly ascending; rows[${i}] = ${r} follows ${rows[i - 1]}`);
    });
    if (rows.length === this.batch) return;
    this.takeRows(rows);
  }

  /**
   * Rebuilds the cache from rows `rows` of the current ones, in that order, repeats allowed (at
   * least one): e.g. [0,0,0,1,1,1] fans two prefilled prompts out to three samples each.
   */
  repeatRows(rows: readonly number[]): void {
    if (this.disposed) throw new Error('repeatRows: the cache was disposed');
    if (!Array.isArray(rows) || rows.length === 0) throw new Error('repeatRows: rows is empty; give at least one row');
    rows.forEach((r, i) => {
      if (!Number.isInteger(r) || r < 0 || r >= this.batch) throw new Error(`repeatRows: rows[${i}] is ${r}, not a row index in [0, ${this.batch})`);
    });
    this.takeRows(rows);
  }

  dispose(): void {
    disposeReplaced(this.layers, []);
    this.layers = [];
    this.disposed = true;
  }
}
