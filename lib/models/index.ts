// lib/models: one causal-LM interface (types.ts), the organism GPT, the Hugging Face
// architectures Qwen2 / Llama 3 / OLMo 2, and checkpoint folders (safetensors + config.json).

// The interface
export type {
  Arch, CacheOptions, CachedForwardOptions, CachedOutput, CausalLM, ForwardOptions, GptConfig, HfConfig, KVCache, ModelConfig, RopeConfig,
  SharedSuffixes,
} from './types';
// Models
export { createGpt, resolveGptConfig, GPT_DEFAULTS } from './gpt';
export { createHfModel } from './hf-model';
export { createModel } from './create';
export { parseHfConfig, toHfConfigJson } from './hf-config';
// Checkpoints
export { loadCheckpoint, saveCheckpoint, readModelConfig, type LoadOptions } from './checkpoint';
export { readSafetensors, writeSafetensors, parseSafetensors, serializeSafetensors, type HostTensor } from './safetensors';
// Helpers
export { greedyDecode } from './greedy';
export { withoutTape } from './causal-lm';
// Building blocks with fast-path gradients (exported for tests and new architectures)
export { addBias, dense, geluTanh, layerNorm, rmsNorm } from './layers';
