// Hugging Face config.json -> HfConfig, for Qwen2, Llama 3 and OLMo 2. Accepts both rope
// layouts: transformers 5's `rope_parameters` {rope_theta, rope_type, ...} and the legacy
// top-level `rope_theta` + `rope_scaling` {rope_type|type, ...} that published checkpoints use.
import type { HfConfig, RopeConfig } from './types';

type Json = Record<string, unknown>;

const MODEL_TYPES: Record<string, HfConfig['arch']> = { qwen2: 'qwen2', llama: 'llama', olmo2: 'olmo2' };

function num(cfg: Json, key: string, file: string, fallback?: number): number {
  const v = cfg[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    throw new Error(`${file}: field "${key}" is missing; a ${String(cfg.model_type)} config needs it`);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${file}: field "${key}" must be a number, received ${JSON.stringify(v)}`);
  return v;
}

function int(cfg: Json, key: string, file: string, fallback?: number): number {
  const v = num(cfg, key, file, fallback);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${file}: field "${key}" must be a positive integer, received ${v}`);
  return v;
}

function bool(cfg: Json, key: string, fallback: boolean): boolean {
  const v = cfg[key];
  return typeof v === 'boolean' ? v : fallback;
}

function tokenId(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

/** Non-standard config.json key (transformers ignores it) that round-trips RopeConfig.invFreqPrecision. */
export const INV_FREQ_PRECISION_KEY = 'rlvr_rope_inv_freq_precision';

function parseRope(cfg: Json, file: string): RopeConfig {
  const precisionRaw = cfg[INV_FREQ_PRECISION_KEY] ?? 'float32';
  if (precisionRaw !== 'float32' && precisionRaw !== 'bfloat16') {
    throw new Error(`${file}: field "${INV_FREQ_PRECISION_KEY}" is ${JSON.stringify(precisionRaw)}; use float32 or bfloat16`);
  }
  const invFreqPrecision: RopeConfig['invFreqPrecision'] = precisionRaw;
  const params = cfg.rope_parameters;
  let src: Json;
  let theta: number;
  if (typeof params === 'object' && params !== null) {
    src = params as Json;
    theta = num(src, 'rope_theta', `${file} rope_parameters`, typeof cfg.rope_theta === 'number' ? cfg.rope_theta : 10000);
  } else {
    const scaling = cfg.rope_scaling;
    src = typeof scaling === 'object' && scaling !== null ? (scaling as Json) : {};
    theta = num(cfg, 'rope_theta', file, 10000);
  }
  const type = String(src.rope_type ?? src.type ?? 'default');
  if (type === 'default') return { theta, type: 'default', invFreqPrecision };
  if (type === 'llama3') {
    const where = `${file} ${params !== undefined && params !== null ? 'rope_parameters' : 'rope_scaling'}`;
    return {
      theta,
      type: 'llama3',
      factor: num(src, 'factor', where),
      lowFreqFactor: num(src, 'low_freq_factor', where),
      highFreqFactor: num(src, 'high_freq_factor', where),
      originalMaxPositionEmbeddings: num(src, 'original_max_position_embeddings', where),
      invFreqPrecision,
    };
  }
  throw new Error(`${file}: rope type "${type}" is not supported; supported: default, llama3`);
}

/** Normalises a parsed config.json; `file` names the source in errors. */
export function parseHfConfig(json: unknown, file: string): HfConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${file}: expected a JSON object`);
  const cfg = json as Json;
  const modelType = String(cfg.model_type ?? '');
  const arch = MODEL_TYPES[modelType];
  if (arch === undefined) {
    throw new Error(`${file}: field "model_type" is ${JSON.stringify(cfg.model_type)}; supported: ${Object.keys(MODEL_TYPES).join(', ')}`);
  }
  const act = cfg.hidden_act ?? 'silu';
  if (act !== 'silu') throw new Error(`${file}: field "hidden_act" is ${JSON.stringify(act)}; only silu (SwiGLU) is supported`);
  if (cfg.use_sliding_window === true) throw new Error(`${file}: field "use_sliding_window" is true; sliding-window attention is not supported`);
  const hiddenSize = int(cfg, 'hidden_size', file);
  const numHeads = int(cfg, 'num_attention_heads', file);
  const numKvHeads = int(cfg, 'num_key_value_heads', file, numHeads);
  if (numHeads % numKvHeads !== 0) throw new Error(`${file}: num_attention_heads ${numHeads} is not a multiple of num_key_value_heads ${numKvHeads}`);
  const attentionBias = bool(cfg, 'attention_bias', false);
  return {
    arch,
    vocabSize: int(cfg, 'vocab_size', file),
    hiddenSize,
    intermediateSize: int(cfg, 'intermediate_size', file),
    numLayers: int(cfg, 'num_hidden_layers', file),
    numHeads,
    numKvHeads,
    headDim: int(cfg, 'head_dim', file, hiddenSize / numHeads),
    rmsNormEps: num(cfg, 'rms_norm_eps', file, 1e-6),
    rope: parseRope(cfg, file),
    maxPositionEmbeddings: int(cfg, 'max_position_embeddings', file, 4096),
    tieWordEmbeddings: bool(cfg, 'tie_word_embeddings', arch === 'qwen2'),
    // Qwen2 always has q/k/v biases and never an o_proj bias; Llama/OLMo 2 put attention_bias on all four.
    qkvBias: arch === 'qwen2' ? true : attentionBias,
    oBias: arch === 'qwen2' ? false : attentionBias,
    mlpBias: arch === 'llama' ? bool(cfg, 'mlp_bias', false) : false,
    bosTokenId: tokenId(cfg.bos_token_id),
    eosTokenId: Array.isArray(cfg.eos_token_id) ? (cfg.eos_token_id as unknown[]).filter((x): x is number => typeof x === 'number') : tokenId(cfg.eos_token_id),
    padTokenId: tokenId(cfg.pad_token_id),
  };
}

const MODEL_TYPE_OF: Record<HfConfig['arch'], string> = { qwen2: 'qwen2', llama: 'llama', olmo2: 'olmo2' };
const ARCHITECTURE_OF: Record<HfConfig['arch'], string> = { qwen2: 'Qwen2ForCausalLM', llama: 'LlamaForCausalLM', olmo2: 'Olmo2ForCausalLM' };

/** HfConfig -> config.json in transformers 5's layout (rope_parameters), readable by parseHfConfig and transformers. */
export function toHfConfigJson(c: HfConfig): Json {
  const rope: Json = { rope_theta: c.rope.theta, rope_type: c.rope.type };
  if (c.rope.type === 'llama3') {
    Object.assign(rope, {
      factor: c.rope.factor, low_freq_factor: c.rope.lowFreqFactor, high_freq_factor: c.rope.highFreqFactor,
      original_max_position_embeddings: c.rope.originalMaxPositionEmbeddings,
    });
  }
  const json: Json = {
    architectures: [ARCHITECTURE_OF[c.arch]], model_type: MODEL_TYPE_OF[c.arch], hidden_act: 'silu',
    vocab_size: c.vocabSize, hidden_size: c.hiddenSize, intermediate_size: c.intermediateSize,
    num_hidden_layers: c.numLayers, num_attention_heads: c.numHeads, num_key_value_heads: c.numKvHeads,
    head_dim: c.headDim, rms_norm_eps: c.rmsNormEps, rope_parameters: rope,
    max_position_embeddings: c.maxPositionEmbeddings, tie_word_embeddings: c.tieWordEmbeddings,
    bos_token_id: c.bosTokenId, eos_token_id: c.eosTokenId, pad_token_id: c.padTokenId,
  };
  if (c.rope.invFreqPrecision !== 'float32') json[INV_FREQ_PRECISION_KEY] = c.rope.invFreqPrecision;
  if (c.arch !== 'qwen2') json.attention_bias = c.qkvBias;
  if (c.arch === 'llama') json.mlp_bias = c.mlpBias;
  return json;
}
