// The organism GPT (after GPT-2 / nanoGPT): learned positions, pre-LayerNorm blocks with
// causal self-attention and a tanh-GELU MLP (4x), final LayerNorm, LM head tied to the
// token embedding (logits = x · wteᵀ). Weight names follow GPT-2's, and GPT-2 stores its
// linear weights [in,out] as this model does, so nothing is transposed on disk.
import * as tf from '@tensorflow/tfjs';
import { mm } from '../tensor';
import type { Decoder, RunInput, RunOutput } from './causal-lm';
import { makeCausalLM } from './causal-lm';
import { dense, geluTanh, layerNorm, splitHeads } from './layers';
import { initParams, lookup, type ParamSpec } from './params';
import type { CausalLM, GptConfig } from './types';

/** Defaults for the organism GPT; callers override what they need. */
export const GPT_DEFAULTS: GptConfig = {
  arch: 'gpt',
  vocabSize: 64,
  dModel: 128,
  nLayers: 4,
  nHeads: 4,
  contextLength: 128,
  seed: 1,
  initStd: 0.02,
  layerNormEps: 1e-5,
};

const GPT_KEYS = Object.keys(GPT_DEFAULTS) as Array<keyof GptConfig>;

/** Defaults + overrides, checked: unknown keys and impossible shapes are errors. */
export function resolveGptConfig(overrides: Partial<GptConfig> = {}, where = 'gpt config'): GptConfig {
  for (const k of Object.keys(overrides)) {
    if (!(GPT_KEYS as string[]).includes(k)) throw new Error(`${where}: unknown field "${k}"; known: ${GPT_KEYS.join(', ')}`);
  }
  const c: GptConfig = { ...GPT_DEFAULTS, ...overrides, arch: 'gpt' };
  for (const k of ['vocabSize', 'dModel', 'nLayers', 'nHeads', 'contextLength', 'seed'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) throw new Error(`${where}: field "${k}" must be a positive integer, received ${String(c[k])}`);
  }
  if (c.vocabSize < 2) throw new Error(`${where}: field "vocabSize" must be at least 2, received ${c.vocabSize}`);
  if (c.dModel % c.nHeads !== 0) throw new Error(`${where}: dModel ${c.dModel} is not divisible by nHeads ${c.nHeads}`);
  for (const k of ['initStd', 'layerNormEps'] as const) {
    if (!(typeof c[k] === 'number' && c[k] > 0)) throw new Error(`${where}: field "${k}" must be a positive number, received ${String(c[k])}`);
  }
  return Object.freeze(c);
}

export function gptParamSpecs(c: GptConfig): ParamSpec[] {
  const d = c.dModel;
  const normal = { kind: 'normal' as const, std: c.initStd };
  const residual = { kind: 'normal' as const, std: c.initStd / Math.sqrt(2 * c.nLayers) }; // GPT-2: scale projections into the residual
  const p = (name: string, shape: number[], init: ParamSpec['init']): ParamSpec => ({ name, shape, transposed: false, init });
  const specs: ParamSpec[] = [p('wte.weight', [c.vocabSize, d], normal), p('wpe.weight', [c.contextLength, d], normal)];
  for (let i = 0; i < c.nLayers; i++) {
    const h = `h.${i}`;
    specs.push(
      p(`${h}.ln_1.weight`, [d], { kind: 'ones' }), p(`${h}.ln_1.bias`, [d], { kind: 'zeros' }),
      p(`${h}.attn.c_attn.weight`, [d, 3 * d], normal), p(`${h}.attn.c_attn.bias`, [3 * d], { kind: 'zeros' }),
      p(`${h}.attn.c_proj.weight`, [d, d], residual), p(`${h}.attn.c_proj.bias`, [d], { kind: 'zeros' }),
      p(`${h}.ln_2.weight`, [d], { kind: 'ones' }), p(`${h}.ln_2.bias`, [d], { kind: 'zeros' }),
      p(`${h}.mlp.c_fc.weight`, [d, 4 * d], normal), p(`${h}.mlp.c_fc.bias`, [4 * d], { kind: 'zeros' }),
      p(`${h}.mlp.c_proj.weight`, [4 * d, d], residual), p(`${h}.mlp.c_proj.bias`, [d], { kind: 'zeros' }),
    );
  }
  specs.push(p('ln_f.weight', [d], { kind: 'ones' }), p('ln_f.bias', [d], { kind: 'zeros' }));
  return specs;
}

class GptDecoder implements Decoder<GptConfig> {
  readonly positionLimit: number;
  constructor(readonly config: GptConfig, readonly params: Record<string, tf.Variable>) {
    this.positionLimit = config.contextLength;
  }

  private w(name: string): tf.Tensor {
    return this.params[name];
  }

  run({ ids, positions, attend, grad, lastOnly }: RunInput): RunOutput {
    const c = this.config;
    const [b, t] = ids.shape;
    const w1 = (n: string) => this.w(n) as tf.Tensor1D;
    const w2 = (n: string) => this.w(n) as tf.Tensor2D;
    const pos = tf.tensor2d(positions, [b, t], 'int32');
    let x = tf.add(lookup(ids, w2('wte.weight'), grad), lookup(pos, w2('wpe.weight'), grad)); // [B,T,D]
    for (let i = 0; i < c.nLayers; i++) {
      const h = `h.${i}`;
      const a = layerNorm(x, w1(`${h}.ln_1.weight`), w1(`${h}.ln_1.bias`), c.layerNormEps);
      const [q, kNew, vNew] = tf.split(dense(a, w2(`${h}.attn.c_attn.weight`), w1(`${h}.attn.c_attn.bias`)), 3, -1); // [B,T,3D] → 3×[B,T,D]
      const y = attend(i, splitHeads(q, c.nHeads), splitHeads(kNew, c.nHeads), splitHeads(vNew, c.nHeads)); // 3×[B,H,T,hd] → [B,T,D]
      x = tf.add(x, dense(y, w2(`${h}.attn.c_proj.weight`), w1(`${h}.attn.c_proj.bias`)));
      const m = layerNorm(x, w1(`${h}.ln_2.weight`), w1(`${h}.ln_2.bias`), c.layerNormEps);
      const hidden = geluTanh(dense(m, w2(`${h}.mlp.c_fc.weight`), w1(`${h}.mlp.c_fc.bias`))); // [B,T,4D]
      x = tf.add(x, dense(hidden, w2(`${h}.mlp.c_proj.weight`), w1(`${h}.mlp.c_proj.bias`)));
    }
    const tOut = lastOnly ? 1 : t;
    if (lastOnly && t > 1) x = tf.slice(x, [0, t - 1, 0], [b, 1, c.dModel]); // [B,T,D] → [B,1,D]
    x = layerNorm(x, w1('ln_f.weight'), w1('ln_f.bias'), c.layerNormEps);
    const flat = tf.reshape(x, [b * tOut, c.dModel]) as tf.Tensor2D; // [B,T,D] → [B*T,D]
    const logits = mm(flat, tf.transpose(w2('wte.weight'))); // tied head: [B*T,D]·[D,V]
    return { logits: tf.reshape(logits, [b, tOut, c.vocabSize]) as tf.Tensor3D };
  }
}

/** A GPT over existing variables (used by the checkpoint loader). */
export function gptFromParams(config: GptConfig, params: Record<string, tf.Variable>): CausalLM<GptConfig> {
  return makeCausalLM(new GptDecoder(config, params));
}

/** A freshly initialised organism GPT (seeded by config.seed). */
export function createGpt(overrides: Partial<GptConfig> = {}): CausalLM<GptConfig> {
  const config = resolveGptConfig(overrides);
  return gptFromParams(config, initParams(gptParamSpecs(config), config.seed));
}
