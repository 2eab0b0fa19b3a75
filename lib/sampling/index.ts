// Public API of lib/sampling: batched, KV-cached, seeded generation, and the per-position
// sampling policy it uses (exported for tests and for computing policy log-probs elsewhere).
export { generate, type FinishReason, type GenerateResult, type GenerateStats, type Generation, type RowSelectableCache } from './generate';
export { generateText } from './generate-text';
export { defaultPrefillChunk, resolveGenerateOptions, type GenerateOptions, type ResolvedGenerateOptions } from './options';
export { argmax, drawFrom, modelLogProb, policyDistribution, type PolicyDistribution, type SamplingPolicy } from './distribution';
export { StopMatcher, type DecodeFn, type StopMatch } from './stop';
