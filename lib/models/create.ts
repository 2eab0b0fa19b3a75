// createModel(config): a freshly initialised model of any architecture, seeded.
import { createGpt } from './gpt';
import { createHfModel } from './hf-model';
import type { CausalLM, ModelConfig } from './types';

/** GPT: seeded by config.seed. HF architectures: by `seed` (default 1; normal(0, 0.02), norms 1, biases 0). */
export function createModel(config: ModelConfig, seed = 1): CausalLM {
  if (config.arch === 'gpt') {
    const { arch: _arch, ...rest } = config;
    return createGpt(rest);
  }
  return createHfModel(config, seed);
}
