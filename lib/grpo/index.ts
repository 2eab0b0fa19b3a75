// lib/grpo: the GRPO algorithm without a language model: advantages, policy losses, loss
// aggregation, KL/entropy terms, optimisers, one optimizer step, the config with presets,
// and the clipping-bias laboratory (grpo.md §5). Tensors in, (loss, metrics) out; the LM
// rollout loop composes these.

// Config
export { DEFAULTS, OLD_LOG_PROBS_SOURCES, PRESETS, resolveGrpoConfig, type GrpoAlgoConfig, type GrpoPresetName, type OldLogProbsSource } from './config';
// Advantages (plain numbers, no tensors)
export { ADVANTAGE_ESTIMATORS, type AdvantageFn, type AdvantageName } from './advantages';
export {
  computeAdvantages, whitenTokenWeighted, type AdvantageMetrics, type AdvantageOptions, type AdvantageResult,
} from './compute-advantages';
// Loss parts (tfjs)
export {
  POLICY_LOSSES, type PolicyLossConfig, type PolicyLossFn, type PolicyLossInput, type PolicyLossMetrics,
  type PolicyLossName, type PolicyLossOutput,
} from './policy-loss';
export { LOSS_AGGREGATIONS, type AggregationConfig, type AggregationFn, type AggregationName } from './aggregate';
export { KL_ESTIMATORS, type KlEstimatorFn, type KlEstimatorName } from './kl';
export { firstTokenMask, maskedMean, stopGradient } from './masked';
export {
  GRPO_REGISTRIES, grpoLoss, type GrpoLossConfig, type GrpoLossInput, type GrpoLossOutput, type GrpoRegistries,
} from './objective';
// Updates
export {
  LR_SCHEDULES, OPTIMIZERS, type GrpoOptimizer, type OptimizerState, type LrScheduleFn, type LrScheduleName, type OptimizerConfig,
  type OptimizerFactory, type OptimizerName,
} from './optimizer';
export { planMinibatches, type MinibatchPlanOptions } from './minibatch';
export { optimizerStep, optimizerStepAsync, type StepOptions, type UpdateStage } from './step';
export { readMetrics, readMetricsAsync } from './metrics';
// Clipping-bias laboratory
export {
  banditLogits, banditRolloutBatch, createBandit, disposeBandit, runBandit,
  type Bandit, type BanditRolloutResult, type BanditRunResult, type BanditSetup,
} from './bandit/lab';
export {
  expectedClippedGradient, meanPositiveAdvantage, monteCarloClippedGradient,
  type BanditPolicyPair, type ClipBand, type ExpectedGradient, type MonteCarloOptions,
} from './bandit/expected';
export { meanInterval, pairedDifference, type MeanInterval } from './bandit/stats';
export { logOddsRows, softmaxRows } from './bandit/softmax';
export {
  driftInterval, epsilonSweep, gradientCheck, longRun, neutralEpsHigh, pairedInterval, pTopInterval, rolloutDrift, signFlip,
  type BanditArm, type DriftRow, type GradientCheckRow, type LongRunResult, type LongRunSummary, type SignFlip, type SweepSetup, type TrajectoryPoint,
} from './bandit/sweeps';
// The LM training loop (rollouts, run directories, train/resume)
export * from './train';
