// Column names of the two tables every training run produces, whoever ran it: our trainer
// (lib/grpo) or OpenRLHF / verl / TRL brought back with `rlvr import`. One vocabulary, so a
// notebook compares a TypeScript run with an engine run without renaming anything.
// Metric columns follow lib/grpo's metric names (rewardMean, zeroStdFrac, clipFracLow, ...).

/** Who produced a row. `rlvr` = our own trainer. */
export type Engine = 'openrlhf' | 'verl' | 'trl';
export type RunSource = Engine | 'rlvr';

/** Per-step metrics; every metric is a number or null (not logged by that engine). */
export const METRIC_COLUMNS = [
  'source', 'step',
  'rewardMean', 'rewardStd', 'zeroStdFrac',
  'responseLengthMean', 'responseLengthMax', 'truncatedFrac',
  'clipFrac', 'clipFracLow', 'clipFracHigh', 'clipFracDual',
  'approxKl', 'kl', 'entropy', 'policyLoss', 'gradNorm', 'lr',
  'codeFrac',
] as const;
export type MetricColumn = (typeof METRIC_COLUMNS)[number];
export type MetricValueColumn = Exclude<MetricColumn, 'source' | 'step'>;

export type MetricRow = { source: RunSource; step: number } & { [K in MetricValueColumn]: number | null };

/** What each metric column holds. */
export const METRIC_DESCRIPTIONS: Readonly<Record<MetricColumn, string>> = {
  source: 'who produced the row: rlvr (our trainer), openrlhf, verl or trl',
  step: 'rollout step (global step): one batch of prompts generated and trained on',
  rewardMean: 'mean task reward over the step\'s completions (before any KL penalty)',
  rewardStd: 'std of the rewards over the step\'s completions',
  zeroStdFrac: 'fraction of prompt groups whose rewards are all equal (TRL frac_reward_zero_std)',
  responseLengthMean: 'mean response length in tokens',
  responseLengthMax: 'longest response in tokens',
  truncatedFrac: 'fraction of responses cut at the length limit',
  clipFrac: 'fraction of response tokens whose ratio was clipped (either side)',
  clipFracLow: 'fraction clipped below: ρ < 1 − ε_low with A < 0',
  clipFracHigh: 'fraction clipped above: ρ > 1 + ε_high with A > 0',
  clipFracDual: 'fraction where the dual clip binds (A < 0, verl pg_clipfrac_lower)',
  approxKl: 'mean(log π_old − log π): the policy\'s move in the update (verl ppo_kl)',
  kl: 'KL to the reference model as logged (loss or reward term)',
  entropy: 'mean token entropy of the policy',
  policyLoss: 'policy-gradient loss (TRL: the total loss, equal to it when beta = 0)',
  gradNorm: 'gradient norm before clipping',
  lr: 'learning rate',
  codeFrac: 'fraction of responses that mention "python" (the paper\'s code-reasoning rate)',
};

/** Per-completion records of rollouts. */
export const ROLLOUT_COLUMNS = ['source', 'step', 'prompt', 'completion', 'label', 'reward', 'correct', 'codeReasoning'] as const;
export type RolloutColumn = (typeof ROLLOUT_COLUMNS)[number];

export interface RolloutRow {
  source: RunSource;
  step: number;
  prompt: string;
  completion: string;
  /** Gold (or MV / incorrect) label when logged; null otherwise. */
  label: string | null;
  /** The training reward the completion got (whatever reward was trained on). */
  reward: number;
  /** Ground-truth correctness when logged or re-graded; null when unknown. Differs from reward under spurious rewards. */
  correct: boolean | null;
  /** mentionsPython(completion): the paper's code-reasoning detector (spec §6.1). */
  codeReasoning: boolean;
}
