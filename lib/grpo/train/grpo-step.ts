// grpoStep: one rollout batch of GRPO on a causal LM (grpo.md §1.1, §1.9), composed of pure parts:
//   items (data order) → sampleRollout → scoreRollout → computeAdvantages → planMinibatches
//   → log π_old of every planned minibatch: by default the sampler's own log-probs of the sampled
//     tokens (same weights, no extra forward); with algo.oldLogProbs 'recompute', a no-grad forward
//     with the current weights (bitwise ρ ≡ 1 on the first minibatch)
//   → per minibatch: grpoLoss (+KL to the frozen reference, +entropy bonus) → optimizerStep.
// With freshRolloutsPerMinibatch every minibatch is its own freshly sampled rollout (on-policy),
// same number and size of updates. Returns the records; the loop writes them.
import * as tf from '@tensorflow/tfjs';
import type { CausalLM } from '../../models';
import { createRng, type Rng } from '../../util';
import { computeAdvantages, type AdvantageResult } from '../compute-advantages';
import { planMinibatches } from '../minibatch';
import { grpoLoss } from '../objective';
import { LR_SCHEDULES } from '../optimizer';
import { optimizerStepAsync, type UpdateStage } from '../step';
import type { TrainConfig } from './config';
import { rolloutRecord, sampleRecords, type RolloutRecord, type SampleRecord, type StepRecord } from './metrics';
import type { GrpoOptimizer } from '../optimizer';
import { dataPosition, itemsForStep, sampleRollout, type Rollout } from './rollout';
import { scoreRollout, type RewardSet, type RolloutScores } from './score';
import { policyTerms, policyTermsNoGrad, sequenceRows, type SequenceRows } from './sequences';
import type { TrainTask } from './task';

/** What changes during a run. */
export interface TrainState {
  model: CausalLM;
  /** Frozen copy of the initial policy; null when klCoef is 0. */
  reference: CausalLM | null;
  optimizer: GrpoOptimizer;
  /** Rollout batches done. */
  step: number;
  /** Optimizer steps done. */
  optStep: number;
}

/** What does not. */
export interface StepContext {
  cfg: Readonly<TrainConfig>;
  task: TrainTask;
  rewards: RewardSet;
  /**
   * Profiling hook (bench/organism.ts): called as each stage ends; the wall time since the
   * previous call belongs to the stage named. Off by default; it changes no number.
   */
  onStage?: (stage: GrpoStage) => void;
}

/**
 * Stages of a rollout batch: sampling, scoring (rewards + advantages), host rows and their
 * tensors, old/reference log-probs, then per optimizer step the phases of optimizerStep.
 */
export type GrpoStage = 'sample' | 'score' | 'rows' | 'old-logp' | UpdateStage;

export interface StepResult {
  steps: StepRecord[];
  rollouts: RolloutRecord[];
  samples: SampleRecord[];
}

/** Optimizer steps one rollout batch takes (both modes). */
export const updatesPerStep = (cfg: Readonly<TrainConfig>): number => cfg.algo.minibatches * cfg.algo.epochs;

/** Every random stream of a step, forked from the run seed by purpose and position (so resuming needs only the step). */
export const streams = {
  sampling: (seed: number, step: number, rollout: number): number => createRng(seed).fork(`sample/${step}/${rollout}`).int(2 ** 31),
  reward: (seed: number, step: number, rollout: number, group: number): Rng => createRng(seed).fork(`reward/${step}/${rollout}/${group}`),
  minibatches: (seed: number, step: number): Rng => createRng(seed).fork(`minibatch/${step}`),
};

interface Scored {
  rollout: Rollout;
  scores: RolloutScores;
  adv: AdvantageResult;
}

async function sampleAndScore(state: TrainState, ctx: StepContext, index: number, items: Rollout['items']): Promise<Scored> {
  const { cfg, task } = ctx;
  const a = cfg.algo;
  const rollout = await sampleRollout(state.model, task, items, a.groupSize, cfg.sampling, streams.sampling(cfg.seed, state.step, index));
  ctx.onStage?.('sample');
  const scores = scoreRollout(rollout, ctx.rewards, (g) => streams.reward(cfg.seed, state.step, index, g));
  const adv = computeAdvantages(scores.rewards, {
    groupSize: a.groupSize, estimator: a.advantage, stdEps: a.stdEps, filterZeroVariance: a.filterZeroVariance,
    whitenGlobally: a.whitenGlobally, whitenVarFloor: a.whitenVarFloor, lengths: rollout.completionIds.map((c) => c.length),
  });
  ctx.onStage?.('score');
  return { rollout, scores, adv };
}

interface Minibatch {
  rows: SequenceRows;
  /** log π_old [B, T−1]: the sampler's, or recomputed (GrpoAlgoConfig.oldLogProbs). */
  oldLogp: tf.Tensor2D;
  ref: tf.Tensor2D | null;
  adv: tf.Tensor1D;
  /** Response mask with filtered rows zeroed. */
  mask: tf.Tensor2D;
  kept: number;
  epoch: number;
  index: number;
}

/** log π_old of the rows: the sampler's values, or a no-grad forward with the weights as they are now (still the sampling weights). */
function oldLogProbs(state: TrainState, ctx: StepContext, rows: SequenceRows): tf.Tensor2D {
  if (ctx.cfg.algo.oldLogProbs === 'recompute') {
    const t = policyTermsNoGrad(state.model, rows);
    t.entropy.dispose();
    return t.logp;
  }
  return tf.tensor2d(rows.samplerLogp, [rows.rows, rows.length - 1]);
}

/** Throws unless the rollout carries one sampler log-prob per completion token (oldLogProbs 'sampler'). */
function checkSamplerLogProbs(r: Rollout): void {
  r.completionIds.forEach((c, i) => {
    const lp = r.logProbs[i];
    if (lp === undefined || lp.length !== c.length) {
      throw new Error(`grpoStep: response ${i} has ${c.length} completion tokens but ${lp === undefined ? 'no' : lp.length} sampler log-probs; `
        + `sample with modelLogProbs (sampleRollout does) or set algo.oldLogProbs "recompute"`);
    }
  });
}

/** Frozen inputs of each planned minibatch, computed with the weights as they are now. */
function prepare(state: TrainState, ctx: StepContext, s: Scored, plan: Int32Array[]): Minibatch[] {
  const M = ctx.cfg.algo.minibatches;
  if (ctx.cfg.algo.oldLogProbs === 'sampler') checkSamplerLogProbs(s.rollout);
  return plan.map((idx, k) => {
    const rows = sequenceRows(s.rollout, idx, ctx.task.padId);
    const keep = Float32Array.from(idx, (i) => s.adv.keep[i]);
    const T1 = rows.length - 1;
    const masked = new Float32Array(rows.responseMask);
    for (let r = 0; r < rows.rows; r++) if (keep[r] === 0) masked.fill(0, r * T1, (r + 1) * T1);
    const adv = tf.tensor1d(Float32Array.from(idx, (i) => s.adv.advantages[i]));
    const mask = tf.tensor2d(masked, [rows.rows, T1]);
    ctx.onStage?.('rows');
    const oldLogp = oldLogProbs(state, ctx, rows);
    let ref: tf.Tensor2D | null = null;
    if (state.reference !== null) {
      const t = policyTermsNoGrad(state.reference, rows);
      t.entropy.dispose();
      ref = t.logp;
    }
    ctx.onStage?.('old-logp');
    return { rows, oldLogp, ref, adv, mask, kept: keep.reduce((x, y) => x + y, 0), epoch: Math.floor(k / M), index: k % M };
  });
}

function disposeMinibatch(mb: Minibatch): void {
  tf.dispose([mb.oldLogp, mb.adv, mb.mask, ...(mb.ref === null ? [] : [mb.ref])]);
}

/** One optimizer step on one prepared minibatch. */
async function update(state: TrainState, ctx: StepContext, mb: Minibatch, totalOptSteps: number): Promise<StepRecord> {
  const a = ctx.cfg.algo;
  const lr = LR_SCHEDULES[a.lrSchedule](a.lr, state.optStep, totalOptSteps, a.warmupSteps);
  const vars = Object.values(state.model.parameters());
  const m = await optimizerStepAsync(state.optimizer, vars, () => {
    const cur = policyTerms(state.model, mb.rows);
    return grpoLoss({
      logp: cur.logp, oldLogp: mb.oldLogp, adv: mb.adv, mask: mb.mask,
      refLogp: mb.ref ?? undefined, entropy: cur.entropy,
    }, a);
  }, { lr, maxGradNorm: a.maxGradNorm, onStage: ctx.onStage });
  const rec: StepRecord = {
    step: state.step, optStep: state.optStep, epoch: mb.epoch, minibatch: mb.index,
    clipFracLow: m.clipFracLow, clipFracHigh: m.clipFracHigh,
    clipFracLowFirstToken: m.clipFracLowFirstToken, clipFracHighFirstToken: m.clipFracHighFirstToken,
    clipFracDual: m.clipFracDual, approxKl: m.approxKl,
    ratioMean: m.ratioMean, ratioMin: m.ratioMin, ratioMax: m.ratioMax, ratioMaxAbsDev: m.ratioMaxAbsDev,
    entropy: m.entropy, policyLoss: m.policyLoss, loss: m.loss, gradNorm: m.gradNorm, lr: m.lr,
    rows: mb.rows.rows, rowsKept: mb.kept,
  };
  if (m.klLoss !== undefined && a.klCoef > 0) rec.klLoss = m.klLoss;
  state.optStep++;
  return rec;
}

/** Runs plan over one scored rollout; returns step records and the update time in seconds. */
async function updateOn(state: TrainState, ctx: StepContext, s: Scored, plan: Int32Array[], totalOptSteps: number): Promise<{ steps: StepRecord[]; seconds: number }> {
  const t0 = performance.now();
  const mbs = prepare(state, ctx, s, plan);
  const steps: StepRecord[] = [];
  try {
    for (const mb of mbs) steps.push(await update(state, ctx, mb, totalOptSteps));
  } finally {
    mbs.forEach(disposeMinibatch);
  }
  return { steps, seconds: (performance.now() - t0) / 1000 };
}

/**
 * One rollout batch and its updates; advances state.step by 1 and state.optStep by
 * minibatches × epochs. `totalOptSteps` is the run's horizon for the LR schedule.
 */
export async function grpoStep(state: TrainState, ctx: StepContext, totalOptSteps: number): Promise<StepResult> {
  const { cfg } = ctx;
  const a = cfg.algo;
  const P = a.promptsPerRollout;
  const items = itemsForStep(ctx.task.items, P, cfg.seed, state.step);
  const pos = dataPosition(P, state.step);
  const out: StepResult = { steps: [], rollouts: [], samples: [] };
  const record = (s: Scored, index: number, seconds: number): void => {
    out.rollouts.push(rolloutRecord(state.step, index, pos, s.rollout, s.scores, s.adv.metrics, seconds));
    out.samples.push(...sampleRecords(state.step, index, s.rollout, s.scores, s.adv.advantages, cfg.samplesPerRollout));
  };
  if (!cfg.freshRolloutsPerMinibatch) {
    const s = await sampleAndScore(state, ctx, 0, items);
    const plan = planMinibatches(s.rollout.texts.length, a, streams.minibatches(cfg.seed, state.step));
    const u = await updateOn(state, ctx, s, plan, totalOptSteps);
    out.steps.push(...u.steps);
    record(s, 0, u.seconds);
  } else {
    // Each update samples its own P/M prompts × G and steps once on all of them (ρ ≡ 1).
    const per = P / a.minibatches;
    for (let u = 0; u < a.epochs * a.minibatches; u++) {
      const chunk = u % a.minibatches;
      const s = await sampleAndScore(state, ctx, u, items.slice(chunk * per, (chunk + 1) * per));
      const all = Int32Array.from({ length: s.rollout.texts.length }, (_, i) => i);
      const r = await updateOn(state, ctx, s, [all], totalOptSteps);
      r.steps[0].epoch = Math.floor(u / a.minibatches);
      r.steps[0].minibatch = chunk;
      out.steps.push(...r.steps);
      record(s, u, r.seconds);
    }
  }
  state.step++;
  return out;
}
