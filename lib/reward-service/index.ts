// Public API of lib/reward-service: the paper's rewards over HTTP, speaking OpenRLHF's remote
// reward protocol (grpo.md §4.1) plus /score for verl and TRL adapters. docs/reward-service.md.
export { createRewardService, DEFAULT_MAX_BODY_BYTES, DEFAULT_CLOSE_TIMEOUT_MS, type RewardService, type RewardServiceStats, type RewardServiceHooks } from './server';
export { parseOpenRlhfRequest, parseScoreRequest, parseJsonObject, formatResult, floatJson, RequestError, type ParseDefaults } from './protocol';
export { scoreJob, groupItems, groupKey, groupRng, RewardCache, type JobGroup, type GroupKey } from './score';
export { GroupBarrier, DEFAULT_GROUP_TIMEOUT_MS, type GroupBarrierOptions, type BarrierStats, type Submission } from './barrier';
export { JsonShapeGuard, DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_JSON_VALUES, type JsonLimits } from './json-guard';
export { checkLabels } from './inputs';
export { throttledLog, type ThrottledLog } from './throttle';
export { inlineScorer, createWorkerPool, splitGroups, type Scorer } from './pool';
export { EXTRA_LOG_NAMES, type ScoreItem, type ScoreJob, type ScoreResult, type GroupingRequest, type RewardServiceOptions, type PrefixMismatch, type ExtraLogName } from './types';
