// What each engine writes, and which of its keys become our columns (schema.ts).
//
// Metric lines (one JSON object per step):
//   openrlhf  wandb-style dicts: {"train/global_step": 3, "train/reward": 0.4, ...}; the "train/"
//             prefix is optional (OpenRLHF logs "train/<key>" for each key of its step status).
//   verl      trainer.logger=[...,'file'] (VERL_FILE_LOGGER_PATH): {"step": 3, "data": {"critic/score/mean": ...}};
//             a flat {"step": 3, "critic/score/mean": ...} is accepted too.
//   trl       Trainer.state.log_history entries, one per line: {"step": 3, "reward": 0.4, ...};
//             or a whole trainer_state.json ({"log_history": [...]}).
// Rollout lines (one JSON object per completion):
//   openrlhf  {"step"|"global_step", "prompt", "completion"|"response"|"output", "reward", "label"?}
//             (OpenRLHF has no rollout dump of its own; this is what a logging reward function or
//             our service's clients write). A "query" with "prompt" as its prefix also works.
//   verl      trainer.rollout_data_dir/<step>.jsonl: {"input", "output", "gts"?, "score", "step", ...reward_extra_info}
//   trl       completions table rows: {"step", "prompt", "completion", "reward", "advantage"?}
import type { MetricValueColumn } from './schema';

export interface EngineFormat {
  /** Keys holding the step of a metric line, first present wins. */
  stepKeys: readonly string[];
  /** Prefixes removed from metric keys before lookup. */
  stripPrefixes: readonly string[];
  /** Our metric column -> the engine's keys, first present wins. */
  metrics: Partial<Record<MetricValueColumn, readonly string[]>>;
  /** Field aliases of rollout records, first present wins. */
  rollout: {
    step: readonly string[];
    prompt: readonly string[];
    completion: readonly string[];
    reward: readonly string[];
    label: readonly string[];
    correct: readonly string[];
  };
  /** Keys that are bookkeeping, not metrics: never reported as unmapped. */
  ignore: readonly string[];
}

const CORRECT = ['correct', 'acc', 'accuracy', 'is_correct'];

export const ENGINE_FORMATS: Readonly<Record<'openrlhf' | 'verl' | 'trl', EngineFormat>> = {
  openrlhf: {
    stepKeys: ['global_step', 'step'],
    stripPrefixes: ['train/'],
    metrics: {
      rewardMean: ['reward'],
      responseLengthMean: ['response_length'],
      clipFrac: ['ppo_clip_ratio', 'clip_ratio'],
      approxKl: ['ppo_kl'],
      kl: ['kl'],
      entropy: ['entropy', 'policy_entropy'],
      policyLoss: ['policy_loss'],
      gradNorm: ['grad_norm'],
      lr: ['actor_lr'],
    },
    rollout: { step: ['step', 'global_step'], prompt: ['prompt', 'prompts'], completion: ['completion', 'response', 'output'], reward: ['reward', 'rewards', 'score'], label: ['label', 'labels', 'answer'], correct: CORRECT },
    ignore: ['return', 'total_length', 'epoch', 'time', 'timestamp'],
  },
  verl: {
    stepKeys: ['step'],
    stripPrefixes: [],
    metrics: {
      rewardMean: ['critic/score/mean'],
      responseLengthMean: ['response_length/mean'],
      responseLengthMax: ['response_length/max'],
      truncatedFrac: ['response_length/clip_ratio'],
      clipFrac: ['actor/pg_clipfrac'],
      clipFracDual: ['actor/pg_clipfrac_lower'],
      approxKl: ['actor/ppo_kl'],
      kl: ['actor/kl_loss'],
      entropy: ['actor/entropy'],
      policyLoss: ['actor/pg_loss'],
      gradNorm: ['actor/grad_norm'],
      lr: ['actor/lr'],
    },
    rollout: { step: ['step'], prompt: ['input', 'prompt'], completion: ['output', 'response'], reward: ['score', 'reward'], label: ['gts', 'ground_truth', 'label'], correct: CORRECT },
    ignore: ['elapsed_seconds', 'training/global_step', 'training/epoch'],
  },
  trl: {
    stepKeys: ['step'],
    stripPrefixes: ['train/'],
    metrics: {
      rewardMean: ['reward'],
      rewardStd: ['reward_std'],
      zeroStdFrac: ['frac_reward_zero_std'],
      responseLengthMean: ['completions/mean_length'],
      responseLengthMax: ['completions/max_length'],
      truncatedFrac: ['completions/clipped_ratio'],
      clipFrac: ['clip_ratio/region_mean', 'clip_ratio'],
      clipFracLow: ['clip_ratio/low_mean'],
      clipFracHigh: ['clip_ratio/high_mean'],
      kl: ['kl'],
      entropy: ['entropy'],
      policyLoss: ['policy_loss', 'loss'],
      gradNorm: ['grad_norm'],
      lr: ['learning_rate'],
    },
    rollout: { step: ['step'], prompt: ['prompt'], completion: ['completion'], reward: ['reward'], label: ['label', 'answer', 'solution'], correct: CORRECT },
    ignore: ['epoch', 'num_tokens', 'step_time', 'total_flos', 'train_runtime', 'train_samples_per_second', 'train_steps_per_second', 'train_loss'],
  },
};
