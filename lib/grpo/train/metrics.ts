// The records a GRPO run logs (grpo.md §3.4–3.5): one StepRecord per optimizer step
// (steps.jsonl), one RolloutRecord per rollout batch (rollouts.jsonl), a few SampleRecords per
// rollout batch (samples.jsonl). Plain JSON values, returned by grpoStep; the loop writes them.
// Names follow lib/import's schema (the vocabulary shared with imported OpenRLHF/verl/TRL logs)
// where it has the quantity; toMetricRow condenses one rollout step into its MetricRow.
import type { MetricRow } from '../../import';
import type { AdvantageMetrics } from '../compute-advantages';
import type { Rollout } from './rollout';
import type { RolloutScores } from './score';

/** Per optimizer step. Values from grpoLoss + optimizerStep, plus where the step sits. */
export interface StepRecord {
  /** Rollout batch (global step), 0-based. */
  step: number;
  /** Optimizer step over the whole run, 0-based. */
  optStep: number;
  epoch: number;
  minibatch: number;
  /** Clip fractions by side, over all response tokens and over the first response token (grpo.md §3.5 item 3). */
  clipFracLow: number;
  clipFracHigh: number;
  clipFracLowFirstToken: number;
  clipFracHighFirstToken: number;
  clipFracDual: number;
  /** mean(log π_old − log π_θ) over response tokens (verl ppo_kl). */
  approxKl: number;
  ratioMean: number;
  ratioMin: number;
  ratioMax: number;
  /** max |ρ − 1|: exactly 0 on the first minibatch of a rollout batch. */
  ratioMaxAbsDev: number;
  /** Token-mean entropy of π_θ over response tokens. */
  entropy: number;
  policyLoss: number;
  /** Aggregated KL to the reference policy; present only when klCoef > 0. */
  klLoss?: number;
  /** The full objective (policy loss + KL − entropy bonus). */
  loss: number;
  /** Global L2 gradient norm before clipping. */
  gradNorm: number;
  lr: number;
  /** Responses (rows) in the minibatch and how many take part (zero-variance filtering). */
  rows: number;
  rowsKept: number;
}

/** Per rollout batch (per fresh rollout under freshRolloutsPerMinibatch). */
export interface RolloutRecord extends AdvantageMetrics {
  step: number;
  /** 0, or the minibatch index of a fresh rollout. */
  rollout: number;
  /** Prompts consumed before this rollout batch (data-order position). */
  dataPosition: number;
  /** Per reward component c (each `_AND_` part): `reward/<c>/mean`, `reward/<c>/std`; the training reward is rewardMean / rewardStd. */
  [component: `reward/${string}/${'mean' | 'std'}`]: number;
  /** Ground-truth accuracy of the rollouts (math vs gold), whatever reward trains. */
  accuracy: number;
  /** Fraction of completions that mention Python (code-reasoning frequency, mentionsPython). */
  codeFrac: number;
  /** Generated tokens per response (EOS included). */
  responseLengthMean: number;
  responseLengthMax: number;
  /** Fraction of responses cut at maxNewTokens. */
  truncatedFrac: number;
  /** Wall seconds: sampling, scoring, update (old/ref log-probs + optimizer steps). Not deterministic. */
  timeSampleS: number;
  timeScoreS: number;
  timeUpdateS: number;
}

export interface SampleRecord {
  step: number;
  rollout: number;
  /** Response index in the rollout batch (group = index / G). */
  index: number;
  prompt: string;
  label: string;
  gold: string;
  completion: string;
  reward: number;
  components: Record<string, number>;
  advantage: number;
  /** Right against the gold answer (whatever reward trains). */
  correct: boolean;
  /** mentionsPython(completion). */
  codeReasoning: boolean;
  length: number;
  finishReason: string;
}

/** RolloutRecord fields that hold wall time (differ between otherwise identical runs). */
export const TIMING_FIELDS = ['timeSampleS', 'timeScoreS', 'timeUpdateS'] as const;

function meanStd(xs: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  const mean = xs.length === 0 ? 0 : s / xs.length;
  let v = 0;
  for (let i = 0; i < xs.length; i++) v += (xs[i] - mean) ** 2;
  return { mean, std: xs.length === 0 ? 0 : Math.sqrt(v / xs.length) };
}

/** The rollout record, without the update time (filled in after the update). */
export function rolloutRecord(
  step: number, rollout: number, dataPos: number, r: Rollout, sc: RolloutScores, adv: AdvantageMetrics, timeUpdateS: number,
): RolloutRecord {
  const lengths = r.completionIds.map((c) => c.length);
  const rec = {
    step, rollout, dataPosition: dataPos,
    ...adv,
    accuracy: meanStd(sc.correct).mean,
    codeFrac: meanStd(sc.python).mean,
    responseLengthMean: meanStd(lengths).mean,
    responseLengthMax: Math.max(...lengths),
    truncatedFrac: r.finish.filter((f) => f === 'length').length / r.finish.length,
    timeSampleS: r.ms / 1000,
    timeScoreS: sc.ms / 1000,
    timeUpdateS,
  } as RolloutRecord;
  for (const [name, vals] of Object.entries(sc.components)) {
    const { mean, std } = meanStd(vals);
    rec[`reward/${name}/mean`] = mean;
    rec[`reward/${name}/std`] = std;
  }
  return rec;
}

/** Up to `k` samples: the first response of each of the first k groups (then second responses, …). */
export function sampleRecords(
  step: number, rollout: number, r: Rollout, sc: RolloutScores, advantages: Float64Array, k: number,
): SampleRecord[] {
  const G = r.groupSize;
  const P = r.items.length;
  const out: SampleRecord[] = [];
  for (let n = 0; n < Math.min(k, P * G); n++) {
    const i = (n % P) * G + Math.floor(n / P);
    const item = r.items[Math.floor(i / G)];
    out.push({
      step, rollout, index: i, prompt: item.prompt, label: item.label, gold: item.gold,
      completion: r.texts[i], reward: sc.rewards[i],
      components: Object.fromEntries(Object.entries(sc.components).map(([c, v]) => [c, v[i]])),
      advantage: advantages[i], correct: sc.correct[i] === 1, codeReasoning: sc.python[i] === 1,
      length: r.completionIds[i].length, finishReason: r.finish[i],
    });
  }
  return out;
}

const avg = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/**
 * One rollout step as a lib/import MetricRow (source "rlvr"): rollout statistics from the step's
 * rollout record(s) (response-weighted under freshRolloutsPerMinibatch), optimizer statistics
 * averaged over its optimizer steps. clipFrac = clipFracLow + clipFracHigh (disjoint token sets).
 */
export function toMetricRow(rollouts: readonly RolloutRecord[], steps: readonly StepRecord[]): MetricRow {
  if (rollouts.length === 0) throw new Error('toMetricRow: no rollout record for this step');
  const n = rollouts.reduce((a, r) => a + r.responses, 0);
  const w = (f: (r: RolloutRecord) => number): number => rollouts.reduce((a, r) => a + f(r) * r.responses, 0) / n;
  const g = rollouts.reduce((a, r) => a + r.groups, 0);
  const rewardMean = w((r) => r.rewardMean);
  const o = (f: (s: StepRecord) => number): number | null => (steps.length === 0 ? null : avg(steps.map(f)));
  const kl = steps.filter((s) => s.klLoss !== undefined).map((s) => s.klLoss as number);
  return {
    source: 'rlvr',
    step: rollouts[0].step,
    rewardMean,
    // pooled population std over the step's responses
    rewardStd: Math.sqrt(Math.max(0, w((r) => r.rewardStd ** 2 + r.rewardMean ** 2) - rewardMean ** 2)),
    zeroStdFrac: rollouts.reduce((a, r) => a + r.zeroStdFrac * r.groups, 0) / g,
    responseLengthMean: w((r) => r.responseLengthMean),
    responseLengthMax: Math.max(...rollouts.map((r) => r.responseLengthMax)),
    truncatedFrac: w((r) => r.truncatedFrac),
    clipFrac: o((s) => s.clipFracLow + s.clipFracHigh),
    clipFracLow: o((s) => s.clipFracLow),
    clipFracHigh: o((s) => s.clipFracHigh),
    clipFracDual: o((s) => s.clipFracDual),
    approxKl: o((s) => s.approxKl),
    kl: kl.length === 0 ? null : avg(kl),
    entropy: o((s) => s.entropy),
    policyLoss: o((s) => s.policyLoss),
    gradNorm: o((s) => s.gradNorm),
    lr: o((s) => s.lr),
    codeFrac: w((r) => r.codeFrac),
  };
}

/** MetricRows of a whole run, one per rollout step, from its two logs. */
export function metricRows(rollouts: readonly RolloutRecord[], steps: readonly StepRecord[]): MetricRow[] {
  const byStep = new Map<number, { r: RolloutRecord[]; s: StepRecord[] }>();
  const at = (k: number) => byStep.get(k) ?? byStep.set(k, { r: [], s: [] }).get(k) as { r: RolloutRecord[]; s: StepRecord[] };
  for (const r of rollouts) at(r.step).r.push(r);
  for (const s of steps) at(s.step).s.push(s);
  return [...byStep.keys()].sort((a, b) => a - b).filter((k) => at(k).r.length > 0).map((k) => toMetricRow(at(k).r, at(k).s));
}
