// Sampler over an OpenAI-compatible endpoint (vLLM, SGLang, llama.cpp, Ollama, `rlvr serve-model`):
// rendered prompts go to /v1/completions (the paper's exact strings), chat messages to
// /v1/chat/completions (the server applies the model's chat template). The client bounds concurrency,
// retries and caches; this only maps requests to calls.
import type { OpenAiClient } from '../sampling';
import type { SampledText, Sampler, SampleRequest, SamplingSpec } from './sampler';

export function createEndpointSampler(client: OpenAiClient): Sampler {
  return {
    description: `${client.endpoint} model ${client.model}`,
    async sample(requests: readonly SampleRequest[], spec: SamplingSpec): Promise<SampledText[][]> {
      const params = {
        n: spec.n,
        temperature: spec.temperature,
        topP: spec.topP,
        maxTokens: spec.maxTokens,
        stop: spec.stop,
        includeStopString: spec.includeStopString,
        seed: spec.seed,
      };
      return Promise.all(
        requests.map(async (r) => {
          const samples = 'prompt' in r ? await client.complete(r.prompt, params) : await client.chat(r.messages, params);
          return samples.map((s) => ({ text: s.text, finishReason: s.finishReason }));
        }),
      );
    },
  };
}
