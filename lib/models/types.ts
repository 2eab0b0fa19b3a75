// The causal-LM interface every model in lib/models implements (the organism GPT and the
// Hugging Face architectures), its configs, and the KV cache used for incremental decoding.
// Sampling, GRPO and eval see models only through these types.
import type * as tf from '@tensorflow/tfjs';

/** Architectures loadCheckpoint and createModel know. 'llama' covers Llama 3.x (llama3 rope scaling). */
export type Arch = 'gpt' | 'qwen2' | 'llama' | 'olmo2';

/** The organism GPT: pre-LayerNorm, tanh-GELU MLP (4x), learned positions, tied LM head, biases everywhere. */
export interface GptConfig {
  arch: 'gpt';
  vocabSize: number;
  /** Residual width. */
  dModel: number;
  nLayers: number;
  /** dModel must be divisible by nHeads. */
  nHeads: number;
  /** Longest sequence (size of the learned position table). */
  contextLength: number;
  /** Seed of the weight init (>= 1: tfjs treats seed 0 as "unseeded"). */
  seed: number;
  /** Std of the normal init (GPT-2: 0.02; output projections are scaled by 1/sqrt(2 nLayers)). */
  initStd: number;
  layerNormEps: number;
}

/** Rotary embedding settings, normalised from either config.json layout. */
export interface RopeConfig {
  theta: number;
  /** 'default': plain rope; 'llama3': Llama 3.1 frequency-dependent scaling. */
  type: 'default' | 'llama3';
  /** llama3 only. */
  factor?: number;
  lowFreqFactor?: number;
  highFreqFactor?: number;
  originalMaxPositionEmbeddings?: number;
  /**
   * Precision of the inverse frequencies. 'float32' is what a fresh transformers model
   * computes; 'bfloat16' is what it holds after `model.to(torch.bfloat16)` (the buffer is
   * cast with the weights), e.g. the hf-tiny fixtures. The angle error grows with position.
   */
  invFreqPrecision: 'float32' | 'bfloat16';
}

/** Qwen2 / Llama 3 / OLMo 2, read from a Hugging Face config.json (both rope layouts). */
export interface HfConfig {
  arch: 'qwen2' | 'llama' | 'olmo2';
  vocabSize: number;
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  /** Grouped-query attention: numHeads must be a multiple of numKvHeads. */
  numKvHeads: number;
  headDim: number;
  rmsNormEps: number;
  rope: RopeConfig;
  maxPositionEmbeddings: number;
  /** No lm_head.weight: logits use the embedding table. */
  tieWordEmbeddings: boolean;
  /** Biases on q/k/v projections (Qwen2: always; Llama/OLMo 2: attention_bias). */
  qkvBias: boolean;
  /** Bias on o_proj (Llama/OLMo 2: attention_bias; Qwen2: never). */
  oBias: boolean;
  /** Biases on gate/up/down (Llama mlp_bias). */
  mlpBias: boolean;
  bosTokenId: number | null;
  eosTokenId: number | number[] | null;
  padTokenId: number | null;
}

/** A typed, JSON-serialisable record; `arch` selects the implementation. */
export type ModelConfig = GptConfig | HfConfig;

export interface ForwardOptions {
  /**
   * Position of each token, int32 [B,T]. Default: from attentionMask as HF does
   * (cumsum(mask) - 1, clamped at 0), or 0..T-1 without a mask. In forwardCached the
   * default continues each row from the real tokens already in the cache.
   */
  positions?: tf.Tensor2D;
  /** 1 = real token, 0 = padding (int32 or float32) [B,T]. Padded keys are never attended to. */
  attentionMask?: tf.Tensor2D;
}

/**
 * Keys and values of every layer for the tokens seen so far, for incremental decoding.
 * Storage is blocked (kv-cache.ts): full blocks of `blockSize` positions are frozen once, in
 * the layouts the decode attention reads without copying (keys pre-transposed); only the
 * last, partial block is rebuilt per step. So a decoding step copies O(blockSize) per layer,
 * not O(length), and the per-token cost grows with length only by the attention itself.
 * forwardCached updates the cache in place and returns it. Dispose the cache when done.
 */
export interface KVCache {
  /** Rows currently held (selectRows can lower it). */
  readonly batch: number;
  /** Capacity: forwardCached throws once length would exceed it. */
  readonly maxLen: number;
  /** Tokens stored per row (pads included). */
  readonly length: number;
  /** Attention mask of the stored tokens, per row (1 = real, 0 = pad). */
  readonly keyMask: ReadonlyArray<readonly number[]>;
  /** Next default position per row (= real tokens stored so far). */
  readonly nextPosition: readonly number[];
  /**
   * Keeps only these rows (indices into the current rows, strictly ascending, at least one),
   * e.g. to drop finished sequences; later calls take ids with rows.length rows.
   */
  selectRows(rows: readonly number[]): void;
  /**
   * Rebuilds the cache from these rows of the current ones, in order, repeats allowed (at least
   * one), e.g. to fan a prompt prefilled once out to its G samples; later calls take ids with
   * rows.length rows. Optional: generate() prefills every row when a cache lacks it.
   */
  repeatRows?(rows: readonly number[]): void;
  dispose(): void;
}

export interface CacheOptions {
  /** Positions per frozen block (default 32; every 4 frozen blocks are joined into one). Small blocks exercise block boundaries in tests. */
  blockSize?: number;
}

export interface CachedForwardOptions extends ForwardOptions {
  /** 'last': logits of the last new position only, [B,1,V] (saves the LM head on long prefills). Default 'all'. */
  logits?: 'all' | 'last';
}

export interface CachedOutput {
  /** Logits of the new tokens [B,t,V] (or [B,1,V] with logits: 'last'). */
  logits: tf.Tensor3D;
  /** The same cache object, now holding t more tokens. */
  cache: KVCache;
}

/** Rows continuing shared prompts (CausalLM.forwardShared): which prompt each row continues, and the rows' tokens after it. */
export interface SharedSuffixes {
  rowPrefix: Int32Array;
  suffixIds: tf.Tensor2D;
}

export interface CausalLM<C extends ModelConfig = ModelConfig> {
  readonly config: C;
  /** Logits [B,T,V] for int32 ids [B,T]. Differentiable w.r.t. parameters(). */
  forward(ids: tf.Tensor2D, opts?: ForwardOptions): tf.Tensor3D;
  /** An empty cache for `batch` rows and up to `maxLen` tokens (prompt + generated). */
  initCache(batch: number, maxLen: number, opts?: CacheOptions): KVCache;
  /**
   * Runs t new tokens [B,t] against the cache (prefill: the whole prompt; decode: t = 1).
   * Pass attentionMask for padded prompts; later steps default to mask 1. Logits equal
   * forward() on the whole sequence at those positions. No gradient.
   */
  forwardCached(ids: tf.Tensor2D, cache: KVCache, opts?: CachedForwardOptions): CachedOutput;
  /**
   * log p(ids[:, t+1] | ids[:, ..t]) as [B,T-1]. completionMask [B,T] is aligned with ids
   * (1 = a token whose log-prob is wanted, e.g. completion tokens); entries whose target
   * token has mask 0 come back as 0. null = every position. Differentiable when called
   * inside tf.grads / tf.variableGrads / optimizer.minimize.
   */
  tokenLogProbs(ids: tf.Tensor2D, completionMask: tf.Tensor2D | null, opts?: ForwardOptions): tf.Tensor2D;
  /**
   * Logits of rows that continue shared prompts, each prompt run once (GRPO's G samples of a
   * prompt): prefixIds [P,Tp] holds each distinct prompt (all Tp tokens real); each group of rows
   * gives rowPrefix (rowPrefix[b]: the prompt row b continues) and suffixIds [B,Ts] (the rows'
   * continuations, right-padded; pads only after real tokens; groups may differ in Ts). Returns per
   * group [B,1+Ts,V]: the logits at the prompt's last position, then at each suffix position: the
   * values forward() gives at positions Tp−1 … Tp+Ts−1 of the joined rows, with the prompts' share
   * of the work done P instead of B times. Differentiable, as forward().
   */
  forwardShared(prefixIds: tf.Tensor2D, groups: ReadonlyArray<SharedSuffixes>): tf.Tensor3D[];
  /** The same values, computed without recording a gradient tape even inside one (old/ref log-probs). */
  tokenLogProbsNoGrad(ids: tf.Tensor2D, completionMask: tf.Tensor2D | null, opts?: ForwardOptions): tf.Tensor2D;
  /**
   * Trainable weights by checkpoint name (HF names for HF models), in the model's layout:
   * linear weights are [in,out] (HF files hold torch's [out,in]). Do not dispose them.
   */
  parameters(): Record<string, tf.Variable>;
  /** Frees every parameter. */
  dispose(): void;
}
