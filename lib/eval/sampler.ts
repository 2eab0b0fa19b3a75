// The one interface evaluation samples through: an in-process model (CausalLM + Tokenizer) and a
// served one (an OpenAI-compatible endpoint) look the same to runEvaluation.

export interface EvalChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One prompt to sample: rendered text, or chat messages for the sampler (server) to render. */
export type SampleRequest =
  | { /** Stable id of the problem (seeds in-process streams, so resuming gives the same samples). */ id: string; prompt: string }
  | { id: string; messages: readonly EvalChatMessage[] };

export interface SamplingSpec {
  /** Samples per prompt. */
  n: number;
  /** 0 = greedy. */
  temperature: number;
  topP: number;
  maxTokens: number;
  stop: readonly string[];
  /** Keep a matched stop string in the text (R1's "</answer>", spec §8). */
  includeStopString: boolean;
  seed: number;
}

export interface SampledText {
  text: string;
  /** 'stop' (EOS or a stop string), 'length', or what the server said; null when unknown. */
  finishReason: string | null;
}

export interface Sampler {
  /** What samples (model folder, endpoint + model), recorded in the run's config. */
  readonly description: string;
  /** n samples of every request: result[i][j] is sample j of requests[i]. */
  sample(requests: readonly SampleRequest[], spec: SamplingSpec): Promise<SampledText[][]>;
}
