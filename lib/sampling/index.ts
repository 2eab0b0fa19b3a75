// Public API of lib/sampling: batched, KV-cached, seeded generation, and the per-position
// sampling policy it uses (exported for tests and for computing policy log-probs elsewhere).
export { generate, type FinishReason, type GenerateResult, type GenerateStats, type Generation, type RowSelectableCache } from './generate';
export { generateText } from './generate-text';
export { defaultPrefillChunk, resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from './options';
export { argmax, drawFrom, modelLogProb, policyDistribution, type PolicyDistribution, type SamplingPolicy } from './distribution';
export { StopMatcher, type DecodeFn, type StopMatch } from './stop';
// OpenAI-compatible endpoints (vLLM, SGLang, llama.cpp server, Ollama, `rlvr serve-model`)
export { createOpenAiClient, type ApiChatMessage, type ClientEvent, type ClientStats, type EndpointSample, type EndpointSamplingParams, type OpenAiClient, type OpenAiClientOptions, type ResolvedSamplingParams } from './openai-client';
export { EndpointError, EndpointHttpError, EndpointNetworkError, EndpointResponseError, EndpointTimeoutError } from './openai-errors';
export { DEFAULT_RETRY_POLICY, backoffDelayMs, isRetryableStatus, parseRetryAfter, type RetryPolicy } from './retry';
export { createLimiter, type Limiter } from './concurrency';
export { canonicalJson, openCompletionCache, type CompletionCache, type JsonValue } from './completion-cache';
