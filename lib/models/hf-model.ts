// Hugging Face decoder-only architectures: Qwen2, Llama 3 and OLMo 2. All three share
// RMSNorm, rotary embeddings, grouped-query attention and a SwiGLU MLP; they differ in
// - Qwen2: biases on q/k/v; usually tied embeddings;
// - Llama 3: llama3 rope scaling (rope.ts);
// - OLMo 2: no input norm; RMSNorm on the whole q and k projections (before splitting into
//   heads); RMSNorm on the attention and MLP outputs before each residual add (post-norm).
// Linear weights are held [in,out] (files hold torch's [out,in]; the loader transposes).
import * as tf from '@tensorflow/tfjs';
import { mm } from '../tensor';
import type { Decoder, RunInput, RunOutput } from './causal-lm';
import { makeCausalLM } from './causal-lm';
import { applyRope, dense, rmsNorm, ropeTables, silu } from './layers';
import { initParams, lookup, type ParamSpec } from './params';
import { inverseFrequencies } from './rope';
import type { CausalLM, HfConfig } from './types';

/** Every tensor an HF checkpoint of this config holds, in file layout. */
export function hfParamSpecs(c: HfConfig): ParamSpec[] {
  const d = c.hiddenSize;
  const qd = c.numHeads * c.headDim;
  const kvd = c.numKvHeads * c.headDim;
  const normal = { kind: 'normal' as const, std: 0.02 };
  const specs: ParamSpec[] = [];
  const lin = (name: string, out: number, inp: number, bias: boolean): void => {
    specs.push({ name: `${name}.weight`, shape: [out, inp], transposed: true, init: normal });
    if (bias) specs.push({ name: `${name}.bias`, shape: [out], transposed: false, init: { kind: 'zeros' } });
  };
  const norm = (name: string, size: number): void => {
    specs.push({ name: `${name}.weight`, shape: [size], transposed: false, init: { kind: 'ones' } });
  };
  specs.push({ name: 'model.embed_tokens.weight', shape: [c.vocabSize, d], transposed: false, init: normal });
  for (let i = 0; i < c.numLayers; i++) {
    const l = `model.layers.${i}`;
    if (c.arch !== 'olmo2') norm(`${l}.input_layernorm`, d);
    lin(`${l}.self_attn.q_proj`, qd, d, c.qkvBias);
    lin(`${l}.self_attn.k_proj`, kvd, d, c.qkvBias);
    lin(`${l}.self_attn.v_proj`, kvd, d, c.qkvBias);
    lin(`${l}.self_attn.o_proj`, d, qd, c.oBias);
    if (c.arch === 'olmo2') {
      norm(`${l}.self_attn.q_norm`, qd);
      norm(`${l}.self_attn.k_norm`, kvd);
    }
    norm(`${l}.post_attention_layernorm`, d);
    if (c.arch === 'olmo2') norm(`${l}.post_feedforward_layernorm`, d);
    lin(`${l}.mlp.gate_proj`, c.intermediateSize, d, c.mlpBias);
    lin(`${l}.mlp.up_proj`, c.intermediateSize, d, c.mlpBias);
    lin(`${l}.mlp.down_proj`, d, c.intermediateSize, c.mlpBias);
  }
  norm('model.norm', d);
  if (!c.tieWordEmbeddings) specs.push({ name: 'lm_head.weight', shape: [c.vocabSize, d], transposed: true, init: normal });
  return specs;
}

class HfDecoder implements Decoder<HfConfig> {
  readonly positionLimit = null; // rope extrapolates; the caller keeps within maxPositionEmbeddings
  private readonly invFreq: Float64Array;
  constructor(readonly config: HfConfig, readonly params: Record<string, tf.Variable>) {
    this.invFreq = inverseFrequencies(config.headDim, config.rope);
  }

  private w1(n: string): tf.Tensor1D {
    return this.params[n] as tf.Tensor1D;
  }

  private w2(n: string): tf.Tensor2D {
    return this.params[n] as tf.Tensor2D;
  }

  /** linear layer `name` ([in,out] weight, bias if the checkpoint has one). */
  private proj(x: tf.Tensor, name: string): tf.Tensor {
    const bias = this.params[`${name}.bias`] as tf.Tensor1D | undefined;
    return dense(x, this.w2(`${name}.weight`), bias);
  }

  private mlp(x: tf.Tensor, l: string): tf.Tensor {
    const gated = tf.mul(silu(this.proj(x, `${l}.mlp.gate_proj`)), this.proj(x, `${l}.mlp.up_proj`)); // [B,T,I]
    return this.proj(gated, `${l}.mlp.down_proj`); // [B,T,D]
  }

  run({ ids, positions, attend, grad, lastOnly }: RunInput): RunOutput {
    const c = this.config;
    const [b, t] = ids.shape;
    const eps = c.rmsNormEps;
    const hd = c.headDim;
    const rope = ropeTables(positions, b, t, this.invFreq);
    let x = lookup(ids, this.w2('model.embed_tokens.weight'), grad); // [B,T,D]
    for (let i = 0; i < c.numLayers; i++) {
      const l = `model.layers.${i}`;
      const olmo = c.arch === 'olmo2';
      const h = olmo ? x : rmsNorm(x, this.w1(`${l}.input_layernorm.weight`), eps);
      let q = this.proj(h, `${l}.self_attn.q_proj`); // [B,T,H*hd]
      let k = this.proj(h, `${l}.self_attn.k_proj`); // [B,T,Hkv*hd]
      const vNew = this.proj(h, `${l}.self_attn.v_proj`);
      if (olmo) {
        q = rmsNorm(q, this.w1(`${l}.self_attn.q_norm.weight`), eps); // over the whole projection, not per head
        k = rmsNorm(k, this.w1(`${l}.self_attn.k_norm.weight`), eps);
      }
      const qh = tf.transpose(applyRope(tf.reshape(q, [b, t, c.numHeads, hd]) as tf.Tensor4D, rope), [0, 2, 1, 3]) as tf.Tensor4D; // [B,H,T,hd]
      const kh = tf.transpose(applyRope(tf.reshape(k, [b, t, c.numKvHeads, hd]) as tf.Tensor4D, rope), [0, 2, 1, 3]) as tf.Tensor4D; // [B,Hkv,T,hd]
      const vh = tf.transpose(tf.reshape(vNew, [b, t, c.numKvHeads, hd]), [0, 2, 1, 3]) as tf.Tensor4D;
      const attn = this.proj(attend(i, qh, kh, vh), `${l}.self_attn.o_proj`); // [B,T,D]
      if (olmo) {
        x = tf.add(x, rmsNorm(attn, this.w1(`${l}.post_attention_layernorm.weight`), eps));
        x = tf.add(x, rmsNorm(this.mlp(x, l), this.w1(`${l}.post_feedforward_layernorm.weight`), eps));
      } else {
        x = tf.add(x, attn);
        x = tf.add(x, this.mlp(rmsNorm(x, this.w1(`${l}.post_attention_layernorm.weight`), eps), l));
      }
    }
    const tOut = lastOnly ? 1 : t;
    if (lastOnly && t > 1) x = tf.slice(x, [0, t - 1, 0], [b, 1, c.hiddenSize]); // [B,T,D] → [B,1,D]
    x = rmsNorm(x, this.w1('model.norm.weight'), eps);
    const flat = tf.reshape(x, [b * tOut, c.hiddenSize]) as tf.Tensor2D; // [B,T,D] → [B*T,D]
    const logits = c.tieWordEmbeddings
      ? mm(flat, tf.transpose(this.w2('model.embed_tokens.weight'))) // [B*T,D]·[D,V]
      : mm(flat, this.w2('lm_head.weight')); // held [D,V]
    return { logits: tf.reshape(logits, [b, tOut, c.vocabSize]) as tf.Tensor3D };
  }
}

export function hfFromParams(config: HfConfig, params: Record<string, tf.Variable>): CausalLM<HfConfig> {
  return makeCausalLM(new HfDecoder(config, params));
}

/** A randomly initialised HF-architecture model (normal(0, 0.02), norms 1, biases 0), seeded. */
export function createHfModel(config: HfConfig, seed = 1): CausalLM<HfConfig> {
  return hfFromParams(config, initParams(hfParamSpecs(config), seed));
}
