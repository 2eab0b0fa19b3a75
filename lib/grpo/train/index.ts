// lib/grpo/train: GRPO on causal LMs. grpoStep composes rollout → score → advantages →
// minibatch updates; train()/resumeTraining() run it over a crash-safe run directory.
export { resolveTrainConfig, TRAIN_DEFAULTS, type SamplingConfig, type TaskConfig, type TrainConfig } from './config';
export type { TaskItem, TrainTask } from './task';
export {
  createOrganismTaskFromConfig, registerOrganismTaskFactory, ORGANISM_LABELS, ORGANISM_TASK_DEFAULTS, type OrganismTaskConfig, type OrganismTaskFactory,
} from './external-task';
export { createToyTask, toyCompletion, toyItems, toyTokenizer, warmStartToy, TOY_DEFAULTS, type ToyTaskConfig } from './toy-task';
export {
  checkDatasetName, createDatasetTask, isDatasetPath, DATASET_NAMES, DATASET_TASK_DEFAULTS, DATASET_TASK_KEYS, type DatasetTaskConfig,
} from './dataset-task';
export { dataPosition, itemsForStep, sampleRollout, type Rollout } from './rollout';
export { buildRewards, scoreRollout, type RewardSet, type RolloutScores } from './score';
export { policyTerms, policyTermsNoGrad, sequenceRows, type PolicyTerms, type PolicyTermsOptions, type SequenceRows } from './sequences';
export { TIMING_FIELDS, metricRows, rolloutRecord, sampleRecords, toMetricRow, type RolloutRecord, type SampleRecord, type StepRecord } from './metrics';
export { grpoStep, streams, updatesPerStep, type GrpoStage, type StepContext, type StepResult, type TrainState } from './grpo-step';
export {
  RUN_FILES, appendRecord, checkpointDirName, exportArrow, latestCheckpoint, pruneCheckpoints, readRecords, recordsToArrow,
  removeStaleTemps, truncateRecords, type CheckpointState, type LoadedCheckpoint,
} from './run-dir';
export { resumeTraining, taskFor, train, type ProgressSink, type TrainOptions, type TrainResult } from './loop';
