// Building blocks shared by the organism GPT and the HF architectures: norms, activations,
// rotary embeddings and (grouped-query) attention. All matmuls go through mm/bmm/linear;
// masks and rope tables arrive as constants built outside any differentiated function.
import * as tf from '@tensorflow/tfjs';
import { bmm, linear, mm } from '../tensor';

/** [n,D] → [D]: column sums as ones[1,n]·x, a fast-path matmul (tf.sum over axis 0 transposes first: ~100x slower on wasm). */
function sumRows(x: tf.Tensor, d: number): tf.Tensor1D {
  const x2 = tf.reshape(x, [-1, d]) as tf.Tensor2D;
  return tf.reshape(mm(tf.ones([1, x2.shape[0]]), x2), [d]) as tf.Tensor1D;
}

/** y + b over the last axis; the bias gradient is a ones-matmul (see sumRows). */
const addBiasOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [y, b] = inputs as [tf.Tensor, tf.Tensor1D];
  return {
    value: tf.add(y, b),
    gradFunc: (dy: tf.Tensor) => [dy, sumRows(dy, b.shape[0])],
  };
});

/** x·g (+ b) over the last axis, for norms: g and b gradients as ones-matmuls. */
const scaleShiftOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, g, b, save] = inputs as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, g]);
  return {
    value: tf.add(tf.mul(x, g), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sg] = saved;
      const d = sg.shape[0];
      return [tf.mul(dy, sg), sumRows(tf.mul(dy, sx), d), sumRows(dy, d)];
    },
  };
});

/** x·g over the last axis, for RMSNorm: the g gradient as a ones-matmul. */
const scaleOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, g, save] = inputs as [tf.Tensor, tf.Tensor1D, tf.GradSaveFunc];
  save([x, g]);
  return {
    value: tf.mul(x, g),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, sg] = saved;
      return [tf.mul(dy, sg), sumRows(tf.mul(dy, sx), sg.shape[0])];
    },
  };
});

/** y + b, b [D] over the last axis of y. */
export function addBias(y: tf.Tensor, b: tf.Tensor1D): tf.Tensor {
  return addBiasOp(y, b);
}

/** A dense layer [..., in]·[in,out] + [out]: linear()'s matmul, then addBias. */
export function dense(x: tf.Tensor, w: tf.Tensor2D, b?: tf.Tensor1D): tf.Tensor {
  const y = linear(x, w);
  return b === undefined ? y : addBias(y, b);
}

/**
 * (x − mean) / sqrt(var + eps) over the last axis, with the closed-form gradient
 * dx = r·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)), r = 1/sqrt(var + eps): 7 ops on the backward pass
 * where autodiff of the forward's 7 takes ~16 (the forward's kernels are unchanged).
 */
function normalize(x: tf.Tensor, eps: number): tf.Tensor {
  const op = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xin, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
    const xc = tf.sub(xin, tf.mean(xin, -1, true));
    const r = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps));
    const xhat = tf.mul(xc, r);
    save([xhat, r]);
    return {
      value: xhat,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sr] = saved;
        const proj = tf.mul(sx, tf.mean(tf.mul(dy, sx), -1, true));
        return tf.mul(tf.sub(tf.sub(dy, tf.mean(dy, -1, true)), proj), sr);
      },
    };
  });
  return op(x);
}

/** LayerNorm over the last axis: (x - mean) / sqrt(var + eps) * g + b. */
export function layerNorm(x: tf.Tensor, g: tf.Tensor1D, b: tf.Tensor1D, eps: number): tf.Tensor {
  return scaleShiftOp(normalize(x, eps), g, b);
}

/** RMSNorm over the last axis (HF Llama/Qwen2/OLMo 2): x / sqrt(mean(x²) + eps) * w. */
export function rmsNorm(x: tf.Tensor, w: tf.Tensor1D, eps: number): tf.Tensor {
  const ms = tf.mean(tf.square(x), -1, true);
  return scaleOp(tf.mul(x, tf.rsqrt(tf.add(ms, eps))), w);
}

const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * GELU, tanh approximation (GPT-2): 0.5x(1 + tanh(u)) = x·sigmoid(2u), u = c(x + 0.044715x³).
 * Written with sigmoid: wasm's Sigmoid is XNNPACK-vectorised, its Tanh ~7x slower.
 */
export function geluTanh(x: tf.Tensor): tf.Tensor {
  return geluOp(x);
}

/**
 * The forward's kernels as before; the gradient in closed form, with s = sigmoid(2u):
 * d/dx = s + x·s(1 − s)·2c(1 + 3·0.044715x²): 9 ops where autodiff took ~15 on the MLP's widest tensor.
 */
const geluOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
  const cube = tf.mul(tf.square(x), x); // not tf.pow: its kernel and gradient are ~3x slower on wasm
  const twoU = tf.mul(tf.add(x, tf.mul(cube, 0.044715)), 2 * GELU_C);
  const s = tf.sigmoid(twoU);
  save([x, s]);
  return {
    value: tf.mul(x, s),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sx, ss] = saved;
      const slope = tf.add(tf.mul(tf.square(sx), 3 * 0.044715 * 2 * GELU_C), 2 * GELU_C); // d(2u)/dx
      const ds = tf.mul(tf.mul(ss, tf.sub(1, ss)), slope); // d s/dx
      return tf.mul(dy, tf.add(ss, tf.mul(sx, ds)));
    },
  };
});

/** SiLU (swish): x * sigmoid(x). */
export function silu(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.sigmoid(x));
}

/** Rope tables for given positions: cos and sin [B,T,1,hd] (the halves repeat, as in HF). */
export interface RopeTables {
  cos: tf.Tensor4D;
  sin: tf.Tensor4D;
  /** [hd,hd] constant with x·R = rotate_half(x) = cat(-x2, x1). */
  rotate: tf.Tensor2D;
}

/** Builds cos/sin from per-token positions and the inverse frequencies [hd/2] (no gradient needed). */
export function ropeTables(positions: ArrayLike<number>, batch: number, time: number, invFreq: Float64Array): RopeTables {
  const half = invFreq.length;
  const hd = 2 * half;
  const cos = new Float32Array(batch * time * hd);
  const sin = new Float32Array(batch * time * hd);
  for (let i = 0; i < batch * time; i++) {
    const p = positions[i];
    for (let j = 0; j < half; j++) {
      // float32 angle, as HF computes inv_freq ⊗ position in float32
      const angle = Math.fround(Math.fround(invFreq[j]) * p);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[i * hd + j] = c;
      cos[i * hd + j + half] = c;
      sin[i * hd + j] = s;
      sin[i * hd + j + half] = s;
    }
  }
  const r = new Float32Array(hd * hd);
  for (let j = 0; j < half; j++) {
    r[(j + half) * hd + j] = -1; // out[j] = -x[j + half]
    r[j * hd + j + half] = 1; // out[j + half] = x[j]
  }
  return {
    cos: tf.tensor4d(cos, [batch, time, 1, hd]),
    sin: tf.tensor4d(sin, [batch, time, 1, hd]),
    rotate: tf.tensor2d(r, [hd, hd]),
  };
}

/** Applies rope to x [B,T,H,hd]: x·cos + rotate_half(x)·sin; rotate_half is a matmul so the gradient stays on mm. */
export function applyRope(x: tf.Tensor4D, rope: RopeTables): tf.Tensor4D {
  const hd = x.shape[3];
  const rotated = tf.reshape(mm(tf.reshape(x, [-1, hd]) as tf.Tensor2D, rope.rotate), x.shape); // [B*T*H,hd]·[hd,hd] → [B,T,H,hd]
  return tf.add(tf.mul(x, rope.cos), tf.mul(rotated, rope.sin)) as tf.Tensor4D;
}

/** [B,T,H*hd] → [B,H,T,hd]. */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, t, d] = x.shape;
  return tf.transpose(tf.reshape(x, [b, t, heads, d / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B,Hkv,S,hd] → [B*Hkv*group, S, hd]: each kv head repeated for its `group` query heads (GQA). */
function expandHeads(x: tf.Tensor4D, group: number): tf.Tensor3D {
  const [b, hkv, s, hd] = x.shape;
  if (group === 1) return tf.reshape(x, [b * hkv, s, hd]) as tf.Tensor3D;
  // Rank 3: tfjs has no Tile gradient above rank 4.
  const wide = tf.broadcastTo(tf.reshape(x, [b * hkv, 1, s * hd]), [b * hkv, group, s * hd]); // [B*Hkv,g,S*hd]
  return tf.reshape(wide, [b * hkv * group, s, hd]) as tf.Tensor3D;
}

/**
 * Softmax over the last axis whose value for a row does not depend on how many masked entries
 * (additive MASKED) trail or lead it: max, exp(x − max), a sequential sum, a division. wasm's
 * Softmax kernel (XNNPACK) sums in SIMD lanes, so a row of 5 real keys padded to 7 or to 18 rounds
 * differently (1 ulp); with this one the KV-cached decode and the full forward give bitwise equal
 * attention weights, so the sampler's log-probs are the trainer's (GrpoAlgoConfig.oldLogProbs).
 * Gradient: p ⊙ (dy − Σ dy ⊙ p), as tf.softmax's.
 */
const paddingExactSoftmaxOp = tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [x, save] = inputs as [tf.Tensor, tf.GradSaveFunc];
  const e = tf.exp(tf.sub(x, tf.max(x, -1, true)));
  const p = tf.div(e, tf.sum(e, -1, true));
  save([p]);
  return {
    value: p,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sp] = saved;
      return tf.mul(sp, tf.sub(dy, tf.sum(tf.mul(dy, sp), -1, true)));
    },
  };
});

/** Keys up to this many take paddingExactSoftmax in attention (its exp is a scalar loop on wasm; XNNPACK's softmax wins on long rows). */
export const EXACT_SOFTMAX_KEYS = 64;

/** Softmax over the last axis: padding-exact for rows of at most EXACT_SOFTMAX_KEYS keys, else tf.softmax. */
export function attentionSoftmax(x: tf.Tensor): tf.Tensor {
  return x.shape[x.rank - 1] <= EXACT_SOFTMAX_KEYS ? paddingExactSoftmaxOp(x) : tf.softmax(x, -1);
}

/** Query counts up to this use the batched no-grad product. */
const FEW_QUERIES = 8;

/**
 * Per-head products of at most this many multiply-adds (t·s·hd) use one batched tf.matMul, with
 * and without a gradient. On wasm a batched matmul misses XNNPACK and runs a scalar loop
 * (~1.2 GFLOP/s), but bmm's loop costs ~30 µs of dispatch per head and product: below about
 * 2^14 multiply-adds per head the single kernel wins (organism d64, 4 heads, 17 tokens: 3.8 ms
 * against 16 ms per product; forward + backward of one attention 15 ms against 57 ms).
 */
export const SHORT_ATTENTION_MACS = 2 ** 14;

/**
 * Scaled dot-product attention. q [B,H,T,hd]; k, v [B,Hkv,S,hd]; additive mask [B,1,T,S]
 * (0 = may attend, large negative = may not). Returns [B,T,H*hd]. Short products (few queries
 * without a gradient, or at most SHORT_ATTENTION_MACS multiply-adds per head) take one batched
 * tf.matMul per product, keys through its transpose flag; its gradient is again one batched
 * matmul per operand. Longer ones keep bmm: there the fast 2-D kernel wins.
 */
export function attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, mask: tf.Tensor4D, grad = true): tf.Tensor3D {
  const [b, h, t, hd] = q.shape;
  const s = k.shape[2];
  const group = h / k.shape[1];
  const q3 = tf.reshape(tf.mul(q, 1 / Math.sqrt(hd)), [b * h, t, hd]) as tf.Tensor3D; // [B*H,T,hd]
  let scores: tf.Tensor3D; // [B*H,T,S]
  let product: (x: tf.Tensor3D, y: tf.Tensor3D) => tf.Tensor3D;
  if ((!grad && t <= FEW_QUERIES) || t * s * hd <= SHORT_ATTENTION_MACS) {
    product = (x, y) => tf.matMul(x, y);
    scores = tf.matMul(q3, expandHeads(k, group), false, true); // [B*H,T,hd]·[B*H,S,hd]ᵀ
  } else {
    product = bmm;
    scores = bmm(q3, expandHeads(tf.transpose(k, [0, 1, 3, 2]) as tf.Tensor4D, group)); // [B,Hkv,hd,S] → [B*H,hd,S]
  }
  const masked = tf.add(tf.reshape(scores, [b, h, t, s]), mask); // [B*H,T,S] → [B,H,T,S]
  const p = tf.reshape(attentionSoftmax(masked), [b * h, t, s]) as tf.Tensor3D;
  const out = product(p, expandHeads(v, group)); // [B*H,T,S]·[B*H,S,hd] → [B*H,T,hd]
  return tf.reshape(tf.transpose(tf.reshape(out, [b, h, t, hd]), [0, 2, 1, 3]), [b, t, h * hd]) as tf.Tensor3D; // → [B,T,H*hd]
}
