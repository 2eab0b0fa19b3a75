// Sampler over an in-process model: lib/sampling's generateText, one batch per call. Sample j of the
// problem with id X draws from the stream hash("X#j"), so results do not depend on which problems
// share a batch (a resumed run gives the samples an uninterrupted one would have).
import type { CausalLM } from '../models';
import { generateText } from '../sampling';
import type { Tokenizer } from '../tokenizers';
import { hashString } from '../util';
import type { EvalChatMessage, SampledText, Sampler, SampleRequest, SamplingSpec } from './sampler';

export interface ModelSamplerOptions {
  /** Recorded in the run config. Default "in-process <arch> model". */
  description?: string;
  /** Renders chat requests (e.g. the checkpoint's chat template); without it chat requests throw. */
  renderChat?: (messages: readonly EvalChatMessage[]) => string;
  /** Rows per forward pass. Default generate's (64). */
  microBatchSize?: number;
}

export function createModelSampler(model: CausalLM, tokenizer: Tokenizer, opts: ModelSamplerOptions = {}): Sampler {
  const promptOf = (r: SampleRequest): string => {
    if ('prompt' in r) return r.prompt;
    if (opts.renderChat === undefined) throw new Error(`model sampler: request ${r.id} has chat messages but no renderChat was given; use a named prompt template`);
    return opts.renderChat(r.messages);
  };
  return {
    description: opts.description ?? `in-process ${model.config.arch} model (vocab ${model.config.vocabSize}), tokenizer ${tokenizer.source}`,
    async sample(requests: readonly SampleRequest[], spec: SamplingSpec): Promise<SampledText[][]> {
      if (requests.length === 0) return [];
      const prompts = requests.flatMap((r) => Array.from({ length: spec.n }, () => promptOf(r)));
      const streams = requests.flatMap((r) => Array.from({ length: spec.n }, (_, j) => hashString(`${r.id}#${j}`)));
      const { sequences } = await generateText(model, tokenizer, prompts, {
        maxNewTokens: spec.maxTokens,
        temperature: spec.temperature,
        topP: spec.topP,
        seed: spec.seed,
        streams,
        stopStrings: spec.stop,
        includeStopString: spec.includeStopString,
        microBatchSize: opts.microBatchSize,
      });
      return requests.map((_, i) =>
        sequences.slice(i * spec.n, (i + 1) * spec.n).map((g) => ({ text: g.text ?? '', finishReason: g.finishReason === 'length' ? 'length' : 'stop' })),
      );
    },
  };
}
