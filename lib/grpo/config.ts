// GrpoAlgoConfig: every algorithmic choice of grpo.md §1–3 as a named field, DEFAULTS (= the
// authors' run), named PRESETS and resolveGrpoConfig (style.md §3.3): unknown keys are refused
// with the closest valid name, types are checked, contradictory combinations fail.
import { closestName } from '../util';
import { ADVANTAGE_ESTIMATORS, type AdvantageName } from './advantages';
import { LOSS_AGGREGATIONS, type AggregationName } from './aggregate';
import { KL_ESTIMATORS, type KlEstimatorName } from './kl';
import { LR_SCHEDULES, OPTIMIZERS, type LrScheduleName, type OptimizerName } from './optimizer';
import { POLICY_LOSSES, type PolicyLossName } from './policy-loss';

/** Where grpoStep takes log π_old from (GrpoAlgoConfig.oldLogProbs). */
export const OLD_LOG_PROBS_SOURCES = ['sampler', 'recompute'] as const;
export type OldLogProbsSource = (typeof OLD_LOG_PROBS_SOURCES)[number];

export interface GrpoAlgoConfig {
  // Rollout shape
  /** Responses per prompt G. */
  groupSize: number;
  /** Prompts per rollout batch (authors: 64 over 4 ranks). */
  promptsPerRollout: number;
  // Advantages (advantages.ts, compute-advantages.ts)
  advantage: AdvantageName;
  stdEps: number;
  filterZeroVariance: boolean;
  /** The authors' token-weighted whitening over the whole rollout batch (grpo.md §1.3). */
  whitenGlobally: boolean;
  whitenVarFloor: number;
  // Policy loss (policy-loss.ts)
  policyLoss: PolicyLossName;
  epsLow: number;
  epsHigh: number;
  dualClip: number | null;
  // Aggregation (aggregate.ts)
  aggregation: AggregationName;
  microBatchSize: number;
  lossNormaliser: number | null;
  // Regularisers
  klCoef: number;
  klEstimator: KlEstimatorName;
  entropyCoef: number;
  // Updates per rollout batch
  /**
   * Where log π_old comes from. 'sampler': the log-probability of each sampled token that the
   * sampler computed from the very logits it drew from (generate's modelLogProbs: the untempered,
   * unfiltered model, whatever the sampling temperature, which is what a recompute gives); no extra
   * forward pass. 'recompute': one no-grad forward of every minibatch before the first update
   * (bitwise the trainer's own forward, so ρ is exactly 1 on the first minibatch; with 'sampler' it
   * is 1 within float32 rounding, ~1e-6). Both are the weights at sampling time, so they serve every
   * minibatch and every epoch of the rollout batch. Default 'sampler'.
   */
  oldLogProbs: OldLogProbsSource;
  /** Optimizer steps per epoch over one rollout batch (authors: 8; ρ ≡ 1 throughout when 1). */
  minibatches: number;
  epochs: number;
  shuffle: boolean;
  // Optimiser (optimizer.ts)
  optimizer: OptimizerName;
  lr: number;
  lrSchedule: LrScheduleName;
  /** Linear warm-up length in optimizer steps (not rollout batches). */
  warmupSteps: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEps: number;
  weightDecay: number;
  /** SGD's heavy-ball momentum (0 = plain SGD); refused with another optimizer. */
  sgdMomentum: number;
  /** Global L2 gradient-norm clip; null = off. */
  maxGradNorm: number | null;
}

/** The authors' configuration (grpo.md §1, §1.9, §7 "authors_replication"). */
export const DEFAULTS: Readonly<GrpoAlgoConfig> = Object.freeze({
  groupSize: 16,
  promptsPerRollout: 64,
  advantage: 'group_norm',
  stdEps: 1e-9,
  filterZeroVariance: false,
  whitenGlobally: true, // the TTRL fork whitens unconditionally (§1.3)
  whitenVarFloor: 1e-8,
  policyLoss: 'ppo_clip',
  epsLow: 0.2,
  epsHigh: 0.2,
  dualClip: null,
  aggregation: 'micro-batch-token-mean', // packed micro-batches of 4, token mean each (§1.4)
  microBatchSize: 4,
  lossNormaliser: null,
  klCoef: 0, // --init_kl_coef 0: the reference model runs but has no effect (§1.5)
  klEstimator: 'k1',
  entropyCoef: 0,
  oldLogProbs: 'sampler',
  minibatches: 8, // 1024 samples / 128 per optimizer step (§1.7)
  epochs: 1,
  shuffle: true,
  optimizer: 'adam',
  lr: 5e-7,
  lrSchedule: 'constant',
  warmupSteps: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.95,
  adamEps: 1e-8,
  weightDecay: 0,
  sgdMomentum: 0,
  maxGradNorm: 1,
});

export const PRESETS = {
  authors: {},
  /** TRL GRPOConfig defaults (grpo.md §3, §6): one optimizer step per generation, so ρ ≡ 1. */
  'trl-default': {
    // generation batch = per_device_train_batch_size 8 × 1 process × steps_per_generation 1 = 8 completions = 1 prompt × 8
    groupSize: 8, promptsPerRollout: 1,
    stdEps: 1e-4, whitenGlobally: false,
    aggregation: 'token-mean', // loss_type "dapo": token sum over the accumulated batch / its active tokens
    klEstimator: 'k3', minibatches: 1,
    lr: 1e-6, lrSchedule: 'linear', adamBeta2: 0.999,
  },
  /** Dr. GRPO (arXiv 2503.20783) on the authors' loop: no std division, constant normaliser = max response length. */
  'dr-grpo': {
    advantage: 'dr_grpo', whitenGlobally: false,
    aggregation: 'seq-mean-token-sum-norm', lossNormaliser: 3072, // the authors' generate_max_len
  },
  /**
   * DAPO (arXiv 2503.14476) as run on verl: clip-higher 0.2/0.28, dynamic sampling (drop
   * zero-variance groups), token-mean loss, no KL; 512 prompts × 16, 16 updates per rollout,
   * AdamW lr 1e-6 with warm-up over 20 rollout steps (= 320 optimizer steps). Settings not in grpo.md (batch sizes, warm-up)
   * are from the DAPO paper; betas/weight decay are verl's AdamW defaults.
   */
  dapo: {
    stdEps: 1e-6, whitenGlobally: false, filterZeroVariance: true,
    epsHigh: 0.28, aggregation: 'token-mean',
    promptsPerRollout: 512, minibatches: 16,
    lr: 1e-6, warmupSteps: 320, adamBeta2: 0.999, weightDecay: 0.01,
  },
  /**
   * The clipping-bias laboratory of grpo.md §5.5: 8 groups × 16, 8 minibatches of 16, SGD lr 0.5,
   * std eps 1e-6, no whitening, no gradient clip (a global norm would couple the seeds).
   */
  'clip-lab': {
    promptsPerRollout: 8, stdEps: 1e-6, whitenGlobally: false, aggregation: 'token-mean',
    optimizer: 'sgd', lr: 0.5, maxGradNorm: null,
  },
} satisfies Record<string, Partial<GrpoAlgoConfig>>;

export type GrpoPresetName = keyof typeof PRESETS;

type FieldKind = 'number' | 'int' | 'boolean' | 'number|null' | readonly string[];

const names = (r: object): readonly string[] => Object.keys(r);

const SCHEMA: Record<keyof GrpoAlgoConfig, FieldKind> = {
  groupSize: 'int', promptsPerRollout: 'int',
  advantage: names(ADVANTAGE_ESTIMATORS), stdEps: 'number', filterZeroVariance: 'boolean',
  whitenGlobally: 'boolean', whitenVarFloor: 'number',
  policyLoss: names(POLICY_LOSSES), epsLow: 'number', epsHigh: 'number', dualClip: 'number|null',
  aggregation: names(LOSS_AGGREGATIONS), microBatchSize: 'int', lossNormaliser: 'number|null',
  klCoef: 'number', klEstimator: names(KL_ESTIMATORS), entropyCoef: 'number',
  oldLogProbs: OLD_LOG_PROBS_SOURCES, minibatches: 'int', epochs: 'int', shuffle: 'boolean',
  optimizer: names(OPTIMIZERS), lr: 'number', lrSchedule: names(LR_SCHEDULES), warmupSteps: 'int',
  adamBeta1: 'number', adamBeta2: 'number', adamEps: 'number', weightDecay: 'number', sgdMomentum: 'number', maxGradNorm: 'number|null',
};

function checkField(key: keyof GrpoAlgoConfig, value: unknown): void {
  const kind = SCHEMA[key];
  const got = value === null ? 'null' : typeof value === 'string' ? `"${value}"` : `${typeof value} ${String(value)}`;
  const bad = (want: string): never => { throw new Error(`resolveGrpoConfig: ${key} must be ${want}, received ${got}`); };
  if (Array.isArray(kind)) {
    if (typeof value !== 'string' || !kind.includes(value)) {
      const near = typeof value === 'string' ? closestName(value, kind) : undefined;
      bad(`one of ${kind.join(', ')}${near ? ` (did you mean "${near}"?)` : ''}`);
    }
    return;
  }
  if (kind === 'boolean') { if (typeof value !== 'boolean') bad('a boolean'); return; }
  if (kind === 'number|null' && value === null) return;
  if (typeof value !== 'number' || !Number.isFinite(value)) bad(kind === 'number|null' ? 'a finite number or null' : 'a finite number');
  if (kind === 'int' && !Number.isInteger(value)) bad('an integer');
}

/** Contradictory or out-of-range combinations; each message names the fields and the fix. */
function checkCombination(c: GrpoAlgoConfig): void {
  const fail = (msg: string): never => { throw new Error(`resolveGrpoConfig: ${msg}`); };
  const rollout = c.groupSize * c.promptsPerRollout;
  if (c.groupSize < 2) fail(`groupSize is ${c.groupSize}; a group needs >= 2 responses for its baseline`);
  if (c.promptsPerRollout < 1) fail(`promptsPerRollout is ${c.promptsPerRollout}; it must be >= 1`);
  if (c.minibatches < 1 || c.epochs < 1) fail(`minibatches (${c.minibatches}) and epochs (${c.epochs}) must be >= 1`);
  if (rollout % c.minibatches !== 0) {
    fail(`a rollout batch of ${c.groupSize} × ${c.promptsPerRollout} = ${rollout} responses does not split into ${c.minibatches} equal minibatches`);
  }
  if (c.aggregation === 'micro-batch-token-mean') {
    if (c.microBatchSize < 1 || (rollout / c.minibatches) % c.microBatchSize !== 0) {
      fail(`minibatches of ${rollout / c.minibatches} responses do not split into micro-batches of microBatchSize ${c.microBatchSize}`);
    }
  }
  if (c.lossNormaliser !== null) {
    if (c.aggregation !== 'seq-mean-token-sum-norm') {
      fail(`lossNormaliser is ${c.lossNormaliser} but aggregation is "${c.aggregation}", which ignores it; set aggregation "seq-mean-token-sum-norm" or lossNormaliser null`);
    }
    if (c.lossNormaliser <= 0) fail(`lossNormaliser is ${c.lossNormaliser}; it must be > 0`);
  }
  if (c.epsLow < 0 || c.epsLow >= 1) fail(`epsLow is ${c.epsLow}; it must lie in [0, 1) so that 1 − epsLow > 0`);
  if (c.epsHigh < 0) fail(`epsHigh is ${c.epsHigh}; it must be >= 0`);
  if (c.dualClip !== null) {
    if (c.policyLoss === 'no_clip') fail(`dualClip is ${c.dualClip} but policyLoss is "no_clip"; dual clip caps a clipped loss, so use "ppo_clip" or dualClip null`);
    if (c.dualClip <= 1) fail(`dualClip is ${c.dualClip}; the dual-clip constant c must be > 1 (verl default 3)`);
  }
  if (c.stdEps < 0) fail(`stdEps is ${c.stdEps}; it must be >= 0`);
  if (c.whitenVarFloor <= 0) fail(`whitenVarFloor is ${c.whitenVarFloor}; it must be > 0`);
  if (c.klCoef < 0) fail(`klCoef is ${c.klCoef}; it must be >= 0 (a penalty)`);
  if (c.entropyCoef < 0) fail(`entropyCoef is ${c.entropyCoef}; it must be >= 0 (a bonus; the loss subtracts it)`);
  if (c.lr <= 0) fail(`lr is ${c.lr}; it must be > 0`);
  if (c.warmupSteps < 0) fail(`warmupSteps is ${c.warmupSteps}; it must be >= 0`);
  if (c.maxGradNorm !== null && c.maxGradNorm <= 0) fail(`maxGradNorm is ${c.maxGradNorm}; use a positive norm or null (off)`);
  if (c.weightDecay < 0) fail(`weightDecay is ${c.weightDecay}; it must be >= 0`);
  for (const k of ['adamBeta1', 'adamBeta2'] as const) if (c[k] < 0 || c[k] >= 1) fail(`${k} is ${c[k]}; it must lie in [0, 1)`);
  if (c.adamEps <= 0) fail(`adamEps is ${c.adamEps}; it must be > 0`);
  if (c.sgdMomentum < 0 || c.sgdMomentum >= 1) fail(`sgdMomentum is ${c.sgdMomentum}; it must lie in [0, 1)`);
  if (c.sgdMomentum > 0 && c.optimizer !== 'sgd') fail(`sgdMomentum is ${c.sgdMomentum} but optimizer is "${c.optimizer}"; momentum applies to sgd only`);
}

/**
 * DEFAULTS, then the preset, then `overrides`; returns a frozen record. Throws on an unknown
 * preset or key (naming the closest valid one), a wrongly typed value, or a contradictory combination.
 */
export function resolveGrpoConfig(
  preset: string = 'authors', overrides: Partial<GrpoAlgoConfig> | Readonly<Record<string, unknown>> = {},
): Readonly<GrpoAlgoConfig> {
  if (!Object.prototype.hasOwnProperty.call(PRESETS, preset)) {
    const near = closestName(preset, Object.keys(PRESETS));
    throw new Error(`resolveGrpoConfig: preset "${preset}" is not defined${near ? ` (did you mean "${near}"?)` : ''}; known: ${Object.keys(PRESETS).join(', ')}`);
  }
  const keys = Object.keys(SCHEMA);
  for (const [k, v] of Object.entries(overrides)) {
    if (!keys.includes(k)) {
      const near = closestName(k, keys);
      throw new Error(`resolveGrpoConfig: unknown key "${k}"${near ? ` (did you mean "${near}"?)` : ''}; valid keys: ${keys.join(', ')}`);
    }
    checkField(k as keyof GrpoAlgoConfig, v);
  }
  const merged = { ...DEFAULTS, ...PRESETS[preset as GrpoPresetName], ...overrides } as GrpoAlgoConfig;
  for (const k of keys) checkField(k as keyof GrpoAlgoConfig, merged[k as keyof GrpoAlgoConfig]);
  checkCombination(merged);
  return Object.freeze(merged);
}
