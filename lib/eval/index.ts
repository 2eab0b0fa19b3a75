// Public API of the analyses over datasets and model outputs.
export { Z95, wilsonInterval, type Proportion } from './intervals';
export { mvLabelQuality, type AnswerEquivalence, type MvLabelQualityOptions, type MvLabelQualityRecord } from './mv-label-quality';
// Evaluation protocol (spec §8): samplers, grading, pass@k, run folders, tables
export { meanPassAtK, passAtK } from './pass-at-k';
export type { EvalChatMessage, SampledText, Sampler, SampleRequest, SamplingSpec } from './sampler';
export { createModelSampler, type ModelSamplerOptions } from './model-sampler';
export { createEndpointSampler } from './endpoint-sampler';
export { EVAL_MAX_TOKENS, EVAL_TOP_P, benchmarkPlan, parseBenchmarkList, type BenchmarkPlan, type PlanOverrides } from './protocol';
export { EVAL_MODES, gradeSample, type GradedSample, type ModeGrade } from './grade-sample';
export { summarizeBenchmark, type BenchmarkSummary, type ModeSummary, type ProblemResult } from './eval-summary';
export { CHAT_TEMPLATE, readEvalRun, runEvaluation, samplesPath, type EvalRunConfig, type EvalRunOptions, type EvalRunResult } from './run-eval';
export { evalSamplesTable, evalSummaryTable } from './eval-table';
export { incompleteBeta, studentTCdf, studentTQuantile, hasInterval, tInterval, type TInterval } from './t-interval';
